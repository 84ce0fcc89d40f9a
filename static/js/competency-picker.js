// The role-profile picker: the whole framework, a whole standard or dimension, or one by one.
//
// Without this script the picker is a plain form: "Select all in ..." and each group's
// "All of ..." are sent as they are and the server adds everything they stand for. With it,
// those ticks also tick (or clear) the boxes they stand for, follow them (ticked when all are,
// mixed when some are), and a search box shows only the competencies whose text matches,
// opening the groups that hold them. A tick covers only the boxes the search shows.
(function () {
  "use strict";
  var picker = document.querySelector('[data-module="ladder-competency-picker"]');
  if (!picker) return;
  var everything = picker.querySelector("[data-picker-everything]");
  var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]")).map(function (group) {
    return {
      element: group,
      all: group.querySelector("[data-picker-all]"),  // none for loose standards alone in a framework
      details: group.querySelector("details"),
      boxes: Array.prototype.slice.call(group.querySelectorAll('input[name="competencies"]')),
    };
  });
  var boxes = groups.reduce(function (all, group) { return all.concat(group.boxes); }, []);

  function shown(box) { return !box.closest("[data-picker-item]").hidden; }

  function follow(tick, some) {
    var ticked = some.filter(function (b) { return b.checked; }).length;
    tick.checked = ticked > 0 && ticked === some.length;
    tick.indeterminate = ticked > 0 && ticked < some.length;
  }

  function sync() {
    groups.forEach(function (group) { if (group.all) follow(group.all, group.boxes); });
    if (everything) follow(everything, boxes);
  }

  function tickAll(some, checked) {
    some.forEach(function (box) { if (shown(box)) box.checked = checked; });
    sync();
  }

  groups.forEach(function (group) {
    if (group.all) group.all.addEventListener("change", function () { tickAll(group.boxes, group.all.checked); });
  });
  if (everything) everything.addEventListener("change", function () { tickAll(boxes, everything.checked); });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
  // A group sent whole (the page re-shown after a refusal) arrives with its boxes ticked too.
  sync();

  var search = picker.querySelector("[data-picker-search]");
  search.closest(".ladder-picker-search").hidden = false;
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().trim();
    groups.forEach(function (group) {
      var matches = 0;
      group.element.querySelectorAll("[data-picker-item]").forEach(function (item) {
        var match = !words || item.textContent.toLowerCase().indexOf(words) !== -1;
        item.hidden = !match;
        if (match) matches += 1;
      });
      group.element.hidden = matches === 0;
      if (group.details && words) group.details.open = matches > 0;
    });
  });
})();
