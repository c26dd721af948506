// Prints one line per Vitest JSON report and a closing "N passed, N failed" line; exits 1 when a
// report is missing (its suite did not run) or anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`${basename(file)}: missing (the suite did not run)`);
    missing = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const suiteFailed = report.numFailedTests + filesFailedWithoutATest(report);
  const suiteSkipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `${basename(file, '.json')}: ${report.numPassedTests} passed, ${suiteFailed} failed, ${suiteSkipped} skipped`,
  );
  for (const line of failureLines(report)) console.log(`  ${line}`);
  passed += report.numPassedTests;
  failed += suiteFailed;
  skipped += suiteSkipped;
}

// A file that failed to load (or in a hook) fails with no failed test; each counts as one failure.
function filesFailedWithoutATest(report) {
  return report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
}

// The name and first message line of each failed test, so a red run says what to look at.
function failureLines(report) {
  const lines = [];
  for (const file of report.testResults) {
    const where = file.name.replace(`${process.cwd()}/`, '');
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failedTests) {
      lines.push(`FAILED ${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
    if (file.status === 'failed' && failedTests.length === 0) {
      lines.push(`FAILED ${where}: ${firstLine(file.message)}`);
    }
  }
  return lines;
}

function firstLine(message) {
  return (message ?? '').split('\n')[0].slice(0, 300);
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing ? 1 : 0);
