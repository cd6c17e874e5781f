// Small enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Print buttons are hidden until JavaScript can make them work.
  for (const button of document.querySelectorAll("[data-omzien-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  openFiltersOnWideScreens();
});

// The kaart's filter panel is a <details>: closed on a phone ("Filters" at the top), open
// beside the results on a wide screen. CSS opens it where the browser allows; this does it
// for the others.
const wideScreen = window.matchMedia("(min-width: 48.0625rem)");

function openFiltersOnWideScreens() {
  const panel = document.getElementById("kaart-filter-panel");
  if (panel && wideScreen.matches) {
    panel.open = true;
  }
}

// When a filter changes, htmx swaps the results (filters included). The panel stays as it
// was, and on a phone the new count comes into view and gets the focus, so the changed
// results are not out of sight above or below. On a wide screen the focus stays in the
// filters and the count is announced (it is a live region).
let filtersWereOpen = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "kaart-results") {
    const panel = document.getElementById("kaart-filter-panel");
    filtersWereOpen = panel ? panel.open : false;
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  if (filtersWereOpen === null || event.target.id !== "kaart-results") {
    return;
  }
  const panel = document.getElementById("kaart-filter-panel");
  if (panel) {
    panel.open = filtersWereOpen || wideScreen.matches;
  }
  filtersWereOpen = null;
  const count = document.getElementById("kaart-count");
  if (count && !wideScreen.matches) {
    // At the top, below the sticky bar (scroll-margin), with the first results under it.
    count.focus({ preventScroll: true });
    count.scrollIntoView({ block: "start" });
  }
});
