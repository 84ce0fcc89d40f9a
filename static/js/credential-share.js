// Credential sharing: a "Copy the link" button beside each share link (shown only when the
// browser can copy; the link stays selectable by hand otherwise).
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy-from]").forEach((button) => {
    const input = document.getElementById(button.dataset.copyFrom);
    const status = document.querySelector(`[data-copied-for="${button.dataset.copyFrom}"]`);
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        if (status) status.textContent = "Link copied.";
      } catch {
        input.select();
        if (status) status.textContent = "Select the link and copy it.";
      }
    });
  });
});
