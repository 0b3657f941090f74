// Running total and projected star on a council member's scoresheet, as the member chooses options.
// A hint only: the server computes the result (bonus, mandatory minimums) when scoring closes.
(function () {
  "use strict";
  var form = document.getElementById("scoresheet");
  var out = document.getElementById("running-total");
  if (!form || !out) return;
  var bands = (out.getAttribute("data-bands") || "").split(",").map(function (pair) {
    var p = pair.split(":");
    return [parseFloat(p[0]), parseInt(p[1], 10)];
  });
  var decimal = out.getAttribute("data-decimal") || ",";
  function format(n) {
    return (Math.round(n * 100) / 100).toString().replace(".", decimal);
  }
  function update() {
    var total = 0, answered = 0, selects = form.querySelectorAll("select[name^='c:']");
    selects.forEach(function (select) {
      var option = select.options[select.selectedIndex];
      if (option && option.value) {
        answered += 1;
        total += parseFloat(option.getAttribute("data-points") || "0");
      }
    });
    var star = 1;
    for (var i = 0; i < bands.length; i++) {
      if (total >= bands[i][0]) { star = bands[i][1]; break; }
    }
    out.querySelector("[data-total]").textContent = format(total);
    out.querySelector("[data-star]").textContent = star + "★";
    out.querySelector("[data-answered]").textContent = answered + "/" + selects.length;
  }
  form.addEventListener("change", update);
  update();
  out.hidden = false;
})();
