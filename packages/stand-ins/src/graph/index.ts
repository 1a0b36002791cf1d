export * from './graph-emulator';
export { GraphError, graphErrors } from './graph-errors';
export { Directory, parseDirectorySeed, type DirectorySeed } from './directory';
