// Preloaded into electronegativity by scripts/electronegativity.mjs. Its CSV writer starts two
// fs.writeFile calls at once — the header with flag "w", the rows with flag "a" — so they race: the
// header can land on top of the first rows (a garbled row) or truncate the file after the rows were
// written (no findings at all). Making fs.writeFile complete synchronously, in call order, removes
// the race without touching the tool itself.
const fs = require('node:fs');

fs.writeFile = function writeFileInOrder(file, data, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  try {
    fs.writeFileSync(file, data, options);
  } catch (e) {
    if (callback) return process.nextTick(callback, e);
    throw e;
  }
  if (callback) process.nextTick(callback, null);
};
