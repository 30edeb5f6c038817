/* Parity web pages: small progressive enhancements (the pages work without them, except live re-checks). */
(function () {
  "use strict";

  function highlight(button) {
    document.querySelectorAll(".lines li.hl").forEach(function (li) { li.classList.remove("hl"); });
    document.querySelectorAll(".sentence[aria-pressed='true']").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    var first = null;
    (button.dataset.support || "").split(" ").forEach(function (n) {
      var li = document.getElementById("line-" + n);
      if (li) { li.classList.add("hl"); first = first || li; }
    });
    if (first) { first.scrollIntoView({block: "nearest"}); }
  }

  function suggestState(box) {
    var text = box.querySelector("[data-suggest-text]").value.trim();
    var ok = box.querySelector("[data-suggest-confirm]").checked && text.length > 0 && text.indexOf("___") < 0;
    box.querySelector("[data-suggest-insert]").disabled = !ok;
  }

  function insert(box) {
    var note = document.getElementById("note");
    var text = box.querySelector("[data-suggest-text]").value.trim();
    if (!note || !text || text.indexOf("___") >= 0) { return; }
    note.value = note.value.replace(/\s+$/, "") + "\n" + text;
    note.dispatchEvent(new Event("input", {bubbles: true}));
    note.focus();
  }

  document.addEventListener("click", function (ev) {
    var sentence = ev.target.closest(".sentence");
    if (sentence) { highlight(sentence); return; }
    var button = ev.target.closest("[data-suggest-insert]");
    if (button && !button.disabled) { insert(button.closest("[data-suggest]")); }
  });
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var box = ev.target.closest && ev.target.closest("[data-suggest]");
      if (box) { suggestState(box); }
    });
  });
})();
