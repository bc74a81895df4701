/*
 * pure-rand 8 publishes its modules only through package.json "exports" subpaths, which the
 * project's `moduleResolution: node` does not read; this maps the one subpath we import to the
 * declarations shipped in the package (types only: Node and Jest resolve the subpath at run time).
 */
declare module 'pure-rand/generator/xoroshiro128plus' {
  export * from 'pure-rand/lib/generator/xoroshiro128plus';
}
