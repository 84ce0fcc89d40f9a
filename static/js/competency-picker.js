// The role-profile competency picker: select a whole standard or dimension at once, and search.
//
// Without this script the picker still works: each standard is a collapsible group of
// checkboxes. With it, each group gains "All of ..." (ticks or clears the group) and a search
// box shows only the competencies whose text matches, opening the groups that hold them.
(function () {
  "use strict";
  var picker = document.querySelector('[data-module="ladder-competency-picker"]');
  if (!picker) return;
  var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]"));

  groups.forEach(function (group) {
    var all = group.querySelector("[data-picker-all]");
    var boxes = Array.prototype.slice.call(group.querySelectorAll('input[name="competencies"]'));
    all.parentNode.hidden = false;
    function sync() {
      var ticked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) {
        if (!box.closest("[data-picker-item]").hidden) box.checked = all.checked;
      });
      sync();
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });

  var search = picker.querySelector("[data-picker-search]");
  search.closest(".ladder-picker-search").hidden = false;
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().trim();
    picker.querySelectorAll("[data-picker-item]").forEach(function (item) {
      if (item.closest("[data-picker-group]")) return;  // a competency offered on its own
      item.hidden = !!words && item.textContent.toLowerCase().indexOf(words) === -1;
    });
    groups.forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("[data-picker-item]").forEach(function (item) {
        var match = !words || item.textContent.toLowerCase().indexOf(words) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
      if (words) group.open = shown > 0;
    });
  });
})();
