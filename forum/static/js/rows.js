// The forum form: "Weitere Zeile" adds a blank row in place instead of posting the form (which
// is what the button does without JavaScript). The new row gets the next index in its names and
// ids and its labels the next number ("Gruppe 5: Raum"); the cursor goes to its first field.
(function () {
  "use strict";

  function nextIndex(body) {
    var highest = -1;
    body.querySelectorAll("[name]").forEach(function (field) {
      var match = /-(\d+)-/.exec(field.name);
      if (match) highest = Math.max(highest, Number(match[1]));
    });
    return highest + 1;
  }

  function renumber(row, index) {
    row.querySelectorAll("[id], [name], label[for]").forEach(function (node) {
      ["id", "name", "for"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) node.setAttribute(attribute, value.replace(/-\d+-/, "-" + index + "-"));
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+/, String(index + 1));
    });
  }

  function blank(row) {
    row.querySelectorAll(".field-errors").forEach(function (node) { node.remove(); });
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      ["aria-invalid", "aria-describedby", "autofocus"].forEach(function (name) {
        field.removeAttribute(name);
      });
      if (field.type === "checkbox") field.checked = false;
      else if (field.tagName === "SELECT") field.selectedIndex = 0;
      else if (field.type === "color") field.value = "#777777";
      else field.value = "";
    });
  }

  function addRow(body) {
    var rows = body.querySelectorAll("tr");
    var row = rows[rows.length - 1].cloneNode(true);
    var index = nextIndex(body);
    renumber(row, index);
    blank(row);
    body.appendChild(row);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var body = document.getElementById(button.getAttribute("data-add-row") + "-rows");
    if (!body || !body.querySelector("tr")) return;
    button.type = "button";
    button.removeAttribute("name");
    button.addEventListener("click", function () { addRow(body); });
  });

  // Rooms typed above are offered in the groups' room fields at once.
  var names = document.getElementById("room-names");
  var rooms = document.getElementById("room-rows");
  if (names && rooms) {
    rooms.addEventListener("input", function () {
      names.textContent = "";
      rooms.querySelectorAll("[data-room-name]").forEach(function (field) {
        if (!field.value.trim()) return;
        var option = document.createElement("option");
        option.value = field.value.trim();
        names.appendChild(option);
      });
    });
  }
})();
