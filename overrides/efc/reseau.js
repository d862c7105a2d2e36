/* The network (reseau/, drawn at build time by generator/reseau.py): a node that has the focus or the pointer
   lights its lines and the nodes at their other end. Reads only the ids the page itself carries. */
(function () {
  "use strict";
  const net = document.querySelector("[data-efc-net]");
  if (!net) return;
  const lines = Array.from(net.querySelectorAll(".efc-net-line"));
  const nodes = {};
  for (const node of net.querySelectorAll(".efc-net-node")) nodes[node.dataset.node] = node;
  function light(id) {
    for (const node of Object.values(nodes)) node.classList.remove("efc-net-on");
    for (const line of lines) {
      const on = id !== null && (line.dataset.a === id || line.dataset.b === id);
      line.classList.toggle("efc-net-on", on);
      if (on) {
        const other = nodes[line.dataset.a === id ? line.dataset.b : line.dataset.a];
        if (other) other.classList.add("efc-net-on");
      }
    }
    net.classList.toggle("efc-net-lit", id !== null);
  }
  const over = event => { const node = event.target.closest(".efc-net-node"); light(node ? node.dataset.node : null); };
  net.addEventListener("focusin", over);
  net.addEventListener("mouseover", over);
  net.addEventListener("focusout", () => light(null));
  net.addEventListener("mouseleave", () => light(null));
})();
