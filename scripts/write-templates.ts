/**
 * Writes the generated templates into templates/ (`npm run templates`).
 *
 *   tsx scripts/write-templates.ts                  synthesize the app in-process, then write
 *   tsx scripts/write-templates.ts --assembly DIR   write from an existing cloud assembly (npm start's cdk.out)
 *   tsx scripts/write-templates.ts --check          write nothing; exit 1 naming the stale files
 */
import { relative, resolve } from 'node:path';
import { GENERATED_TEMPLATES, REGENERATE_COMMAND, renderFromFreshSynth, renderGeneratedTemplates, ROOT, staleTemplates, TEMPLATES_DIR, writeTemplates } from './generated-templates';

function main(argv: readonly string[]): number {
  const assemblyIndex = argv.indexOf('--assembly');
  const assembly = assemblyIndex >= 0 ? argv[assemblyIndex + 1] : undefined;
  if (assemblyIndex >= 0 && assembly === undefined) {
    console.error('`--assembly` needs a folder, e.g. --assembly cdk.out');
    return 2;
  }
  const rendered = assembly === undefined ? renderFromFreshSynth() : renderGeneratedTemplates(resolve(assembly));

  if (argv.includes('--check')) {
    const stale = staleTemplates(rendered);
    if (stale.length === 0) {
      console.log(`All ${rendered.size} generated templates are up to date.`);
      return 0;
    }
    console.error(`Stale generated templates (run \`${REGENERATE_COMMAND}\` and commit the result): ${stale.map((file) => `templates/${file}`).join(', ')}`);
    return 1;
  }

  const written = writeTemplates(rendered);
  console.log(`Wrote ${written.length} generated template(s) into ${relative(ROOT, TEMPLATES_DIR)}/:`);
  for (const template of GENERATED_TEMPLATES) console.log(`  templates/${template.file}  (from ${template.source})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
