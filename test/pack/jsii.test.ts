/**
 * The construct library for every CDK language: compiled with jsii in a staging folder
 * (scripts/build-jsii.ts), its Python package generated, and built into a wheel when Debian's
 * build tools are installed. Needs `npm run build` first (the Lambda bundle it ships) and
 * nothing beyond Node.js and the npm packages; python3, when present, parses the generated code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildJsii, type JsiiBuildResult, PYTHON_MODULE, wheelToolsMissing } from '../../scripts/build-jsii';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };

interface AssemblyMember {
  readonly name: string;
  readonly docs?: { readonly summary?: string };
}
interface AssemblyType extends AssemblyMember {
  readonly fqn: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly methods?: readonly AssemblyMember[];
  readonly properties?: readonly AssemblyMember[];
}
interface Assembly {
  readonly name: string;
  readonly dependencies: Record<string, string>;
  readonly types: Record<string, AssemblyType>;
}

/** Class name to its members: method name to return annotation (aliases resolved), via python3's `ast`. */
type PythonApi = Record<string, Record<string, string>>;

const PYTHON_API_SCRIPT = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding="utf8").read())
api = {}
for node in tree.body:
    if not isinstance(node, ast.ClassDef):
        continue
    members = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            members[item.name] = ast.unparse(item.returns) if item.returns is not None else ""
        elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Name):
            for target in item.targets:
                members[target.id] = members.get(item.value.id, "?")
    api[node.name] = members
print(json.dumps(api))
`;

function python3(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', 'import ast; ast.unparse'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  return undefined;
}

/** The generated module's API: with python3's parser when there is one, else read from the source. */
function pythonApi(moduleFile: string): PythonApi {
  const python = python3();
  if (python !== undefined) return JSON.parse(execFileSync(python, ['-c', PYTHON_API_SCRIPT, moduleFile], { encoding: 'utf8' })) as PythonApi;
  const api: PythonApi = {};
  let current: Record<string, string> | undefined;
  for (const line of readFileSync(moduleFile, 'utf8').split('\n')) {
    const classMatch = /^class (\w+)\(/.exec(line);
    if (classMatch?.[1] !== undefined) api[classMatch[1]] = current = {};
    else if (/^\S/.test(line)) current = undefined;
    const method = /^ {4}def (\w+)\(/.exec(line);
    if (current !== undefined && method?.[1] !== undefined) current[method[1]] = '';
    const alias = /^ {4}(\w+) = (\w+)$/.exec(line);
    if (current !== undefined && alias?.[1] !== undefined && alias[2] !== undefined) current[alias[1]] = current[alias[2]] ?? '?';
  }
  return api;
}

describe('the construct library for every CDK language (jsii)', () => {
  let result: JsiiBuildResult;
  let assembly: Assembly;
  let pythonModule: string;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'handler', 'dist', 'index.mjs'))) throw new Error('handler/dist/index.mjs is missing: run `npm run build` before this test');
    result = buildJsii(mkdtempSync(join(tmpdir(), 'org-ecr-jsii-')));
    assembly = JSON.parse(readFileSync(result.assemblyFile, 'utf8')) as Assembly;
    pythonModule = join(result.pythonSourceDir, 'src', PYTHON_MODULE, '__init__.py');
  }, 600_000);

  it('compiles with jsii, with the peer range of package.json as the assembly dependencies', () => {
    // GIVEN / WHEN: compiled above
    // THEN
    expect(assembly.name).toBe('org-ecr-repository');
    expect(Object.keys(assembly.types).sort()).toEqual(
      expect.arrayContaining(['org-ecr-repository.ApplicationHelper', 'org-ecr-repository.EcrBuilder', 'org-ecr-repository.OrgEcrRepository', 'org-ecr-repository.OrgEcrRepositoryProvider']),
    );
    expect(assembly.dependencies).toEqual(manifest.peerDependencies);
  });

  it('documents every type, property and method of the assembly (what API.md and the Python docstrings show)', () => {
    // GIVEN
    const undocumented: string[] = [];
    const check = (name: string, docs: { summary?: string } | undefined) => {
      if ((docs?.summary ?? '').trim() === '') undocumented.push(name);
    };
    // WHEN
    for (const type of Object.values(assembly.types)) {
      check(type.fqn, type.docs);
      for (const member of [...(type.properties ?? []), ...(type.methods ?? [])]) check(`${type.fqn}.${member.name}`, member.docs);
    }
    // THEN
    expect(undocumented).toEqual([]);
  });

  it("offers the seed's Python calls: EcrBuilder().set_application_helper(...).set_builder_config(...).set_ecr_repo_base_name(...).build(stack)", () => {
    // GIVEN
    const api = pythonApi(pythonModule);
    // WHEN
    const builder = api.EcrBuilder ?? {};
    const helper = api.ApplicationHelper ?? {};
    // THEN: each call exists and returns what the next one is called on
    expect(builder).toMatchObject({ __init__: expect.any(String), build: expect.any(String) });
    for (const call of ['set_application_helper', 'set_builder_config', 'set_ecr_repo_base_name']) {
      expect(builder[call]).toBeDefined();
      if (python3() !== undefined) expect(builder[call]).toBe("'EcrBuilder'");
    }
    if (python3() !== undefined) expect(builder.build).toBe("'OrgEcrRepository'");
    expect(helper).toHaveProperty('__init__');
    expect(helper).toHaveProperty('get_from_env');
    expect(api).toHaveProperty('OrgEcrRepository.grant_pull');
    expect(api).toHaveProperty('OrgEcrRepositoryProvider.__init__');
  });

  it('ships the JavaScript with the Lambda bundle inside the Python package', () => {
    // GIVEN
    const jsiiDir = join(result.pythonSourceDir, 'src', PYTHON_MODULE, '_jsii');
    const [tarball] = readdirSync(jsiiDir).filter((name) => name.endsWith('.jsii.tgz'));
    // WHEN
    const entries = execFileSync('tar', ['-tzf', join(jsiiDir, tarball ?? 'missing.tgz')], { encoding: 'utf8' }).split('\n');
    // THEN
    expect(entries).toEqual(expect.arrayContaining(['package/.jsii', 'package/lib/construct/index.js', 'package/handler/dist/index.mjs', 'package/LICENSE']));
  });

  it("builds the sdist and wheel with Debian's tools when they are installed, and otherwise says why it skipped them", () => {
    // GIVEN / WHEN: built above
    const missing = wheelToolsMissing();
    // THEN
    if (missing !== undefined) {
      expect(result.wheel).toEqual({ built: false, reason: missing });
      expect(missing).toMatch(/python3/);
      return;
    }
    if (!result.wheel.built) throw new Error(`the wheel was not built: ${result.wheel.reason}`);
    const wheelFile = result.wheel.files.find((file) => file.endsWith('.whl'));
    expect(result.wheel.files.some((file) => file.endsWith('.tar.gz'))).toBe(true);
    const wheel = unzipSync(readFileSync(wheelFile ?? 'missing.whl'));
    const metadataName = Object.keys(wheel).find((name) => name.endsWith('.dist-info/METADATA'));
    const metadata = Buffer.from(wheel[metadataName ?? ''] ?? new Uint8Array()).toString('utf8');
    expect(Object.keys(wheel)).toEqual(expect.arrayContaining([`${PYTHON_MODULE}/__init__.py`]));
    expect(metadata).toMatch(new RegExp(`Requires-Dist: aws-cdk-lib .*>=${manifest.peerDependencies['aws-cdk-lib']?.slice(1).replace(/\./g, '\\.')}`));
    expect(metadata).toMatch(/License: Apache-2\.0/);
  });

  it('keeps the committed API.md equal to the reference jsii-docgen generates from the code', () => {
    // GIVEN
    const committed = readFileSync(join(ROOT, 'API.md'), 'utf8');
    // WHEN
    const generated = readFileSync(result.apiReference, 'utf8');
    // THEN (regenerate with `npm run package:jsii`)
    expect(committed).toBe(generated);
  });
});
