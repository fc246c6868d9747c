/**
 * Every export and public member of the package entry has a doc comment (TSDoc), and every
 * optional prop says its default: read with the TypeScript compiler API from construct/index.ts, so
 * it covers what TypeScript users see, including what jsii does not (the error classes, the
 * builder's `setXxx`/`build`). The jsii assembly's docs are checked in test/pack/jsii.test.ts.
 */
import { join } from 'node:path';
import * as ts from 'typescript';

const ENTRY = join(__dirname, '..', '..', '..', 'construct', 'index.ts');

interface Finding {
  readonly name: string;
  readonly problem: string;
}

function publicApi(): { exports: string[]; findings: Finding[] } {
  const program = ts.createProgram([ENTRY], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  if (source === undefined) throw new Error(`cannot read ${ENTRY}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error('construct/index.ts has no exports');
  const findings: Finding[] = [];
  const documented = (symbol: ts.Symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '';
  const exports: string[] = [];

  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    exports.push(exported.name);
    if (!documented(symbol)) findings.push({ name: exported.name, problem: 'has no doc comment' });
    for (const declaration of symbol.declarations ?? []) {
      if (ts.isClassDeclaration(declaration)) checkClass(declaration, exported.name);
      if (ts.isInterfaceDeclaration(declaration)) checkInterface(declaration, exported.name);
    }
  }
  return { exports, findings };

  function isPublic(member: ts.ClassElement): boolean {
    const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
    return !(member.name !== undefined && ts.isPrivateIdentifier(member.name));
  }

  function checkClass(declaration: ts.ClassDeclaration, className: string): void {
    for (const member of declaration.members) {
      if (ts.isConstructorDeclaration(member)) {
        if (!isPublic(member)) continue;
        for (const parameter of member.parameters) {
          // Parameter properties (`constructor(readonly problems: ...)`) are public members too.
          const flags = ts.getCombinedModifierFlags(parameter);
          if (flags & ts.ModifierFlags.Readonly && !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))) {
            if (!hasParamDoc(member, parameter.name.getText())) findings.push({ name: `${className}.${parameter.name.getText()}`, problem: 'has no @param doc' });
          }
        }
        continue;
      }
      if (!isPublic(member) || member.name === undefined) continue;
      const symbol = checker.getSymbolAtLocation(member.name);
      if (symbol !== undefined && !documented(symbol)) findings.push({ name: `${className}.${member.name.getText()}`, problem: 'has no doc comment' });
    }
  }

  function hasParamDoc(constructor: ts.ConstructorDeclaration, name: string): boolean {
    return ts.getJSDocTags(constructor).some((tag) => ts.isJSDocParameterTag(tag) && tag.name.getText() === name && ts.getTextOfJSDocComment(tag.comment) !== undefined);
  }

  function checkInterface(declaration: ts.InterfaceDeclaration, interfaceName: string): void {
    for (const member of declaration.members) {
      if (member.name === undefined) continue;
      const name = `${interfaceName}.${member.name.getText()}`;
      const symbol = checker.getSymbolAtLocation(member.name);
      if (symbol !== undefined && !documented(symbol)) findings.push({ name, problem: 'has no doc comment' });
      const optional = ts.isPropertySignature(member) && member.questionToken !== undefined;
      if (optional && !ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default')) findings.push({ name, problem: 'is optional but has no @default' });
    }
  }
}

describe('the public API of the package entry', () => {
  const { exports, findings } = publicApi();

  it('exports the constructs, the builder, the helper and the error classes a user catches', () => {
    // GIVEN / WHEN: construct/index.ts read above
    // THEN
    expect(exports).toEqual(
      expect.arrayContaining([
        'OrgEcrRepository',
        'OrgEcrRepositoryProvider',
        'EcrBuilder',
        'ApplicationHelper',
        'InvalidConstructPropsError',
        'InvalidConfigurationError',
        'BuilderUsageError',
        'MissingHandlerBundleError',
      ]),
    );
  });

  it('documents every exported type and public member, and the default of every optional prop', () => {
    // GIVEN / WHEN: read above
    // THEN (each finding names the member, so the failure says what to document)
    expect(findings.map(({ name, problem }) => `${name} ${problem}`)).toEqual([]);
  });
});
