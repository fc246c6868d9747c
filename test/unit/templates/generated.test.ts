/**
 * The generated templates are committed so template users need no toolchain; this suite
 * fails when a committed file differs from what the code generates now.
 */
import { GENERATED_TEMPLATES, REGENERATE_COMMAND, renderGeneratedTemplates, staleTemplates } from '../../../scripts/generated-templates';
import { givenSynthesizedApp } from '../../helpers/templates';

describe('the committed generated templates', () => {
  const app = givenSynthesizedApp();
  afterAll(() => app.cleanUp());

  it.each(GENERATED_TEMPLATES.map((template) => [template.file, template.source]))('matches what the app generates now for templates/%s (from %s)', (file) => {
    // GIVEN
    const rendered = renderGeneratedTemplates(app.directory());
    // WHEN
    const stale = staleTemplates(new Map([[file, rendered.get(file) as string]]));
    // THEN
    if (stale.length > 0) throw new Error(`templates/${file} differs from what the code generates now: run \`${REGENERATE_COMMAND}\` and commit the result`);
  });

  it('finds a committed template stale when the generated content changes, so the passes above mean something', () => {
    // GIVEN
    const rendered = renderGeneratedTemplates(app.directory());
    const changed = new Map([...rendered].map(([file, content]) => [file, file === 'provider.yaml' ? `${content}# changed\n` : content]));
    // WHEN
    const stale = staleTemplates(changed);
    // THEN
    expect(stale).toEqual(['provider.yaml']);
  });
});
