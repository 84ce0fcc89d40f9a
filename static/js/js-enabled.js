// Marks the page as scripted before it paints (the NHS.UK frontend hides and shows parts of
// components on these classes). A file, not an inline script: the CSP forbids inline code.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
