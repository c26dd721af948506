/** This package's version; build.mjs checks it matches package.json. */
export const SDK_VERSION = '0.1.0';
