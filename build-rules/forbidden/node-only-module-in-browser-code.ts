// The build points Node-only npm modules (ws, express, better-sqlite3, vite)
// here for the packages that run in the browser
// (build-rules/tsconfig.browser.json). This file belongs to no project, so
// importing one of them from browser code fails the build with TS6307 naming
// this file. See README, "Layout".
// Typed `any` so that the one error reported is TS6307 (this file is in no project).
declare const forbidden: any;
export default forbidden;
