/** "Ada from Support" → "AS": a person's face when they have no picture. */
export const initials = (name: string): string =>
  name.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w[0]).slice(0, 2).join('') || name.slice(0, 1).toUpperCase();
