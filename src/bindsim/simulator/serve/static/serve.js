// bindsim serve: a little progressive enhancement. Without this script every form still posts
// and the page reloads; with it, forms post in the background and the page is swapped in place
// (the scroll position stays), and a click on a state of a diagram shows its rule IDs.
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
  const kept = keepDiagrams(current, main);
  if (!kept) {
    current.replaceWith(document.adoptNode(main));
    return;
  }
  // Everything around the diagrams is new; the diagrams section stays, patched.
  for (const attribute of main.attributes) {
    current.setAttribute(attribute.name, attribute.value);
  }
  for (const child of [...current.children]) {
    if (child !== kept) {
      child.remove();
    }
  }
  let before = true;
  for (const child of [...main.children]) {
    if (child.id === "diagrams") {
      before = false;
    } else if (before) {
      current.insertBefore(document.adoptNode(child), kept);
    } else {
      current.append(document.adoptNode(child));
    }
  }
}

// A drawing that did not change keeps its place: laying out an SVG again is the slow part of
// a step. Returns the kept #diagrams section, or null when the page is to be replaced whole.
function keepDiagrams(current, main) {
  const old = current.querySelector("#diagrams");
  const fresh = main.querySelector("#diagrams");
  if (!old || !fresh) {
    return null;
  }
  const panels = [...fresh.querySelectorAll(".panel")];
  if (panels.map((p) => p.id).join() !== [...old.querySelectorAll(".panel")].map((p) => p.id).join()) {
    return null;
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
  return old;
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
    return;
  }
  event.preventDefault();
  const body = new FormData(form, event.submitter || undefined);
  document.body.classList.add("busy");
  try {
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    swap(await response.text());
  } catch (error) {
    form.submit(); // the network failed: let the browser post the form itself
  } finally {
    document.body.classList.remove("busy");
  }
});

// A <select data-autosubmit> shows what it picks at once (its form still has a button).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.dataset.autosubmit !== undefined) {
    select.form.requestSubmit();
  }
});

// A click on a state (a node, or a compound state's cluster) lists its rule IDs under the diagram.
document.addEventListener("click", (event) => {
  const group = event.target.closest(".panel svg g.node, .panel svg g.cluster");
  if (!group) {
    return;
  }
  const panel = group.closest(".panel");
  const title = group.querySelector("title");
  const id = (title ? title.textContent : "").replace(/^cluster_/, "");
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
