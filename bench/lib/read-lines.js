#!/usr/bin/env node
// The I/O floor of validate-cohort: read the file, decode UTF-8 and split it into lines,
// nothing else. Prints the number of data rows.
//   node bench/lib/read-lines.js COHORT.csv
import fs from 'node:fs';
import process from 'node:process';
import { StringDecoder } from 'node:string_decoder';

const decoder = new StringDecoder('utf8');
let rest = '';
let lines = 0;
for await (const chunk of fs.createReadStream(process.argv[2], { highWaterMark: 1 << 16 })) {
  const parts = (rest + decoder.write(chunk)).split('\n');
  rest = parts.pop() ?? '';
  lines += parts.length;
}
rest += decoder.end();
if (rest !== '') lines++;
process.stdout.write(`${lines - 1}\n`);
