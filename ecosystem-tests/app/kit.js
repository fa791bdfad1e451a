/**
 * The test kit as the installed package gives it: the runner (Node) imports this file from the app's folder, so
 * that `createTestServer` comes from the packed `authnzerver/testing`, resolved as an ES module there.
 */
export { createTestServer } from 'authnzerver/testing';
