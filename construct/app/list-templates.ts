/** Prints the absolute path of every template in a cloud assembly folder (`npm start`'s last step). */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const folder = resolve(process.argv[2] ?? 'cdk.out');
const templates = readdirSync(folder).filter((name) => name.endsWith('.template.json'));
console.log(`Synthesized ${templates.length} CloudFormation template(s) into ${folder}:`);
for (const name of templates) console.log(`  ${resolve(folder, name)}`);
