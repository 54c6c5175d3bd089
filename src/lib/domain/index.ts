export * from './ids.ts';
export * from './colours.ts';
export * from './doc-names.ts';
export * from './roles.ts';
export * from './grid-doc.ts';
