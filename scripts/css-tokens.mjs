// Turns a theme file (themes/*.css) into a JS module for the elements: the
// declarations of its one rule, with each public --chat-* token renamed to the
// private --_theme-* default that the elements resolve under the public name.
// The same function serves rollup and the test runner, so one file is the
// source of each theme.
export const TOKENS_QUERY = '?tokens';

export function tokensModule(cssText) {
  const body = /\{([^}]*)\}/.exec(cssText.replace(/\/\*[\s\S]*?\*\//g, ''));
  if (!body) throw new Error('css-tokens: a theme file must hold one rule with its declarations');
  const declarations = body[1].replace(/--chat-/g, '--_theme-').replace(/\s+/g, ' ').trim();
  return `export default ${JSON.stringify(declarations)};\n`;
}
