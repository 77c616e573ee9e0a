export default {
  globs: ['elements/**/*.ts'],
  exclude: ['elements/**/*.styles.ts', 'elements/shared/**'],
  outdir: '.',
  litelement: true,
};
