// bindsim serve: a little progressive enhancement. Without this script every form still posts
// and the page reloads; with it, forms post in the background and the page is swapped in place
// (the scroll position stays, and focus returns to the control the user acted with), and a
// click on a state of a diagram shows its rule IDs.
"use strict";

function swap(html) {
  const next = new DOMParser().parseFromString(html, "text/html");
  const main = next.getElementById("main");
  const current = document.getElementById("main");
  if (!main || !current) {
    document.open();
    document.write(html);
    document.close();
    return;
  }
  document.title = next.title;
  document.documentElement.lang = next.documentElement.lang;
  patch(current, main);
}

// Put `fresh` in the place of `current`, except the live diagrams: a drawing that did not
// change keeps its place (laying out an SVG again is the slow part of a step). The elements
// around #diagrams are walked child by child; any other element is replaced whole.
function patch(current, fresh) {
  if (fresh.id === "diagrams" && current.id === "diagrams" && patchDiagrams(current, fresh)) {
    return;
  }
  const holds = fresh.id === "main" || fresh.querySelector("#diagrams");
  if (
    !holds ||
    current.tagName !== fresh.tagName ||
    current.children.length !== fresh.children.length
  ) {
    current.replaceWith(document.adoptNode(fresh));
    return;
  }
  for (const name of current.getAttributeNames()) {
    if (!fresh.hasAttribute(name)) {
      current.removeAttribute(name);
    }
  }
  for (const attribute of fresh.attributes) {
    current.setAttribute(attribute.name, attribute.value);
  }
  const pairs = [...current.children].map((child, i) => [child, fresh.children[i]]);
  for (const [before, after] of pairs) {
    patch(before, after);
  }
}

// The diagrams section patched in place: false when its panels are not the same ones.
function patchDiagrams(old, fresh) {
  const panels = [...fresh.querySelectorAll(".panel")];
  if (panels.map((p) => p.id).join() !== [...old.querySelectorAll(".panel")].map((p) => p.id).join()) {
    return false;
  }
  for (const attribute of fresh.attributes) {
    old.setAttribute(attribute.name, attribute.value);
  }
  old.querySelector("h2").replaceWith(document.adoptNode(fresh.querySelector("h2")));
  for (const panel of panels) {
    const before = old.querySelector("#" + panel.id);
    if (before.dataset.sig !== panel.dataset.sig) {
      before.replaceWith(document.adoptNode(panel));
    }
  }
  return true;
}

// Which control the user acted with, in words that find it again in the new page: its id, or
// its form's address and fields with its own name, value and label.
function describe(control) {
  if (!control) {
    return null;
  }
  if (control.id) {
    return { id: control.id };
  }
  const form = control.form;
  const fields = form
    ? [...form.querySelectorAll("input[type=hidden]")].map((i) => i.name + "=" + i.value).join("&")
    : "";
  return {
    action: form ? form.getAttribute("action") : "",
    fields,
    tag: control.tagName,
    name: control.name || "",
    value: control.value || "",
    label: control.dataset ? control.dataset.label || "" : "",
  };
}

function find(wanted) {
  if (!wanted) {
    return null;
  }
  if (wanted.id) {
    return document.getElementById(wanted.id);
  }
  for (const control of document.querySelectorAll("#main " + wanted.tag)) {
    const seen = describe(control);
    if (
      seen.action === wanted.action &&
      seen.fields === wanted.fields &&
      seen.name === wanted.name &&
      seen.label === wanted.label &&
      (wanted.tag !== "BUTTON" || seen.value === wanted.value)
    ) {
      return control;
    }
  }
  return null;
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
    return;
  }
  event.preventDefault();
  const body = new FormData(form, event.submitter || undefined);
  const acted = describe(event.submitter || document.activeElement);
  const formId = form.id;
  document.body.classList.add("busy");
  try {
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    swap(await response.text());
    const again = find(acted) || (formId && document.getElementById(formId));
    const target = again && !again.disabled ? again : document.getElementById("notice");
    if (target) {
      target.focus({ preventScroll: true });
    }
    pointToChanges();
    // "Run to end" plays a share of the steps per request (500), so that one long scenario
    // never holds the server: the page asks for the next share until none is left.
    const more = document.getElementById("run-to-end");
    if (form.getAttribute("action") === "/player/run" && response.ok && more && !more.disabled) {
      setTimeout(() => more.form.requestSubmit(more), 0);
    }
  } catch (error) {
    form.submit(); // the network failed: let the browser post the form itself
  } finally {
    document.body.classList.remove("busy");
  }
});

// A <select data-autosubmit> shows what it picks at once when picked with the mouse; with the
// keyboard, arrows only move the choice and Enter shows it (its form has a button as well).
document.addEventListener("keydown", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.dataset.autosubmit !== undefined) {
    select.dataset.keyed = "1";
    if (event.key === "Enter") {
      event.preventDefault();
      select.form.requestSubmit();
    }
  }
});
document.addEventListener("pointerdown", (event) => {
  if (event.target instanceof HTMLSelectElement) {
    delete event.target.dataset.keyed;
  }
});
document.addEventListener("change", (event) => {
  const select = event.target;
  if (
    select instanceof HTMLSelectElement &&
    select.dataset.autosubmit !== undefined &&
    select.dataset.keyed === undefined
  ) {
    select.form.requestSubmit();
  }
});

// On a narrow screen an action far down the page (a tap on the phone) is answered up in "What
// changed": a link at the foot of the screen leads back up to it until it is in sight.
function pointToChanges() {
  const changes = document.getElementById("notice");
  const link = document.querySelector(".to-changes");
  if (!changes || !link || window.innerWidth >= 1200) {
    return;
  }
  const box = changes.getBoundingClientRect();
  link.hidden = changes.classList.contains("empty") || box.bottom > 0;
}
window.addEventListener("scroll", pointToChanges, { passive: true });
document.addEventListener("click", (event) => {
  if (event.target.closest(".to-changes")) {
    event.target.closest(".to-changes").hidden = true;
  }
});

// The close button of "What changed".
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-close]");
  if (button) {
    const box = document.getElementById(button.dataset.close);
    box.classList.add("empty");
  }
});

// A click on a state (a node, or a compound state's cluster) lists its rule IDs under the diagram.
document.addEventListener("click", (event) => {
  const group = event.target.closest(".panel svg g.node, .panel svg g.cluster");
  if (!group) {
    return;
  }
  const panel = group.closest(".panel");
  const id = group.dataset.id || "";
  const notes = JSON.parse(panel.dataset.notes || "{}");
  const note = notes[id];
  if (!note) {
    return;
  }
  const words = document.getElementById("diagrams").dataset;
  const box = panel.querySelector(".rules-box");
  const heading = document.createElement("b");
  heading.textContent = words.rulesOf.replace("{state}", note.label);
  const list = document.createElement("ul");
  list.className = "rule-ids";
  for (const rule of note.rules) {
    const item = document.createElement("li");
    item.textContent = rule;
    list.append(item);
  }
  if (!note.rules.length) {
    const item = document.createElement("li");
    item.textContent = words.noRules;
    list.append(item);
  }
  box.replaceChildren(heading, list);
  box.dataset.state = id;
  box.hidden = false;
  panel.querySelectorAll("g.chosen").forEach((g) => g.classList.remove("chosen"));
  group.classList.add("chosen");
});
