// simple-peer's prebuilt bundle (DESIGN.md: it needs no Node polyfills under
// Vite) carries the types of the package itself.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
