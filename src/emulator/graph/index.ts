export * from './graph-emulator';
export { GraphError, graphErrors } from './graph-errors';
