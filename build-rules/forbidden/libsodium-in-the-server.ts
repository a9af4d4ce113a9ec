// The build points `libsodium-wrappers-sumo` here for the server's project
// (build-rules/tsconfig.server.json). This file belongs to no project, so a
// server file that imports libsodium, directly or through a declaration that
// names its types, fails the build with TS6307 naming this file: the relay
// must not hold anything that can decrypt. See README, "Layout".
// Typed `any` so that the one error reported is TS6307 (this file is in no project).
declare const forbidden: any;
export default forbidden;
