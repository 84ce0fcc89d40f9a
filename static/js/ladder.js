// Starts the NHS.UK frontend components (header menu, error summary focus, radios, ...).
// Loaded as a module, so it never runs in browsers the frontend does not support.
import { initAll } from "../vendor/nhsuk-frontend.min.js";

initAll();
