// Static checks of the deployment files under deploy/ (Docker, Compose, Kubernetes). They run
// without a container engine or a cluster: they parse the files and compare them with the facts
// the services rely on (names, ports, databases, health endpoints, environment variables).
import * as fs from 'node:fs';
import * as path from 'node:path';
// `yaml` (eemeli/yaml): only parseAllDocuments and Document#toJSON are used, the API common to
// its 1.x and 2.x lines. Merge keys (`<<: *anchor`) are resolved with { merge: true }.
import { parseAllDocuments } from 'yaml';

import { baseConfigProperties, securityConfigProblems } from '@bank-crm/service-runtime';

const ROOT = path.resolve(__dirname, '..');
const DEPLOY = path.join(ROOT, 'deploy');

const SERVICES: Record<string, number> = {
  'customer-master': 3001,
  'account-bridge': 3002,
  marketing: 3003,
  sales: 3004,
  service: 3005,
};
const NAMES = Object.keys(SERVICES);
const databaseOf = (service: string) => `bank_crm_${service.replace(/-/g, '_')}`;
const dist = (service: string) => `dist/apps/${service}/apps/${service}/src/main.js`;

// ----------------------------------------------------------------------------- helpers

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function read(relative: string): string {
  return fs.readFileSync(path.join(ROOT, relative), 'utf8');
}

/** Every document of a YAML file, as plain JSON; fails on any parse error. */
function yamlDocs(relative: string): Json[] {
  const docs = parseAllDocuments(read(relative), { merge: true } as never) as unknown as Array<{
    errors: unknown[];
    toJSON(): Json;
  }>;
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${relative}: ${String(doc.errors[0])}`);
  }
  return docs.map((doc) => doc.toJSON()).filter((doc) => doc !== null && doc !== undefined);
}

function yamlDoc(relative: string): Json {
  const docs = yamlDocs(relative);
  expect(docs).toHaveLength(1);
  return docs[0];
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** A compose `environment` (mapping or KEY=VALUE list) as a mapping of strings. */
function composeEnv(environment: Json): Record<string, string> {
  if (!environment) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((item: string) => {
        const i = item.indexOf('=');
        return i < 0 ? [item, ''] : [item.slice(0, i), item.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [k, v === null ? '' : String(v)]),
  );
}

/** A compose port entry as {published, target}. */
function composePort(entry: Json): { published: number; target: number } {
  if (typeof entry === 'object')
    return { published: Number(entry.published), target: Number(entry.target) };
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const target = Number(parts[parts.length - 1]);
  const published = parts.length > 1 ? Number(parts[parts.length - 2]) : NaN;
  return { published, target };
}

/** The depends_on of a compose service as {name: condition}. */
function dependsOn(service: Json): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps))
    return Object.fromEntries(deps.map((d: string) => [d, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([k, v]) => [k, (v as Json)?.condition ?? 'service_started']),
  );
}

function healthTest(service: Json): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : String(test ?? '');
}

interface EnvVarDoc {
  name: string;
  required: boolean;
  default: string | null;
  description: string;
}
const envVars: EnvVarDoc[] = JSON.parse(read('deploy/env-vars.json'));
const documentedNames = new Set(envVars.map((v) => v.name));
const requiredNames = envVars.filter((v) => v.required).map((v) => v.name);

// ----------------------------------------------------------------------------- YAML and env list

describe('deploy/ files', () => {
  it('every YAML file under deploy/ parses', () => {
    const files = walk(DEPLOY).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(5 * 6);
    for (const file of files) {
      expect(() => yamlDocs(path.relative(ROOT, file))).not.toThrow();
      expect(yamlDocs(path.relative(ROOT, file)).length).toBeGreaterThan(0);
    }
  });

  it('env-vars.json documents every variable once, as {name, required, default, description}', () => {
    expect(Array.isArray(envVars)).toBe(true);
    for (const v of envVars) {
      expect(Object.keys(v).sort()).toEqual(['default', 'description', 'name', 'required']);
      expect(v.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(typeof v.required).toBe('boolean');
      expect(v.default === null || typeof v.default === 'string').toBe(true);
      expect(v.description.length).toBeGreaterThan(0);
      if (v.required) expect(v.default).toBeNull();
    }
    expect(documentedNames.size).toBe(envVars.length);
    expect([...requiredNames].sort()).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'PORT']);
    expect(envVars.map((v) => v.name)).toEqual([
      'PORT',
      'HOST',
      'DATABASE_URL',
      'DATABASE_CREATE_IF_MISSING',
      'DATABASE_MIGRATIONS',
      'DATABASE_POOL_SIZE',
      'KAFKA_BROKERS',
      'KAFKA_CLIENT_ID',
      'KAFKA_GROUP_ID',
      'KAFKA_CONSUMER_CONCURRENCY',
      'KAFKA_CHUNK_SIZE',
      'KAFKA_MAX_ATTEMPTS',
      'KAFKA_RETRY_BACKOFF_MS',
      'KAFKA_NEW_GROUP_START_AT',
      'OUTBOX_POLL_INTERVAL_MS',
      'OUTBOX_RETENTION_MS',
      'LOG_LEVEL',
      'OPENAPI_ENABLED',
      'SHUTDOWN_TIMEOUT_MS',
      'HTTP_REQUEST_TIMEOUT_MS',
      'NODE_ENV',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'JWT_PUBLIC_KEY',
      'JWT_PUBLIC_KEY_FILE',
      'JWT_JWKS_URL',
      'JWT_CLOCK_SKEW_SECONDS',
      'JWT_MAX_TOKEN_AGE_SECONDS',
      'CORS_ALLOWED_ORIGINS',
      'RATE_LIMIT_EXPENSIVE_PER_MINUTE',
    ]);
  });

  it('env-vars.json documents exactly the variables the services read', () => {
    const read = Object.keys(baseConfigProperties('marketing', 3003)).sort();
    expect([...documentedNames].sort()).toEqual(read);
  });
});

// ----------------------------------------------------------------------------- Dockerfile

describe('deploy/docker/Dockerfile', () => {
  const dockerfile = read('deploy/docker/Dockerfile');
  // Logical lines: comments dropped, backslash continuations joined.
  const lines = dockerfile
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const stages = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = [line];
      stages.set((from[2] ?? from[1]).toLowerCase(), current);
    } else {
      current?.push(line);
    }
  }
  const stage = (name: string) => {
    const s = stages.get(name);
    if (!s) throw new Error(`no stage ${name}; stages: ${[...stages.keys()].join(', ')}`);
    return s.join('\n');
  };

  it('has the deps, build, prod-deps and runtime stages, runtime last', () => {
    expect([...stages.keys()]).toEqual(['deps', 'build', 'prod-deps', 'runtime']);
    expect(stage('deps')).toMatch(/COPY package\.json package-lock\.json/);
    expect(stage('deps')).toMatch(/npm ci(?!\s+--omit)/);
    expect(stage('prod-deps')).toMatch(/npm ci --omit=dev/);
  });

  it('builds the service with nx, without daemon or cloud', () => {
    const build = stage('build');
    expect(build).toMatch(/^ARG SERVICE$/m);
    expect(build).toContain('nx run ${SERVICE}:build');
    expect(build).toMatch(/NX_DAEMON=false/);
    expect(build).toMatch(/NX_NO_CLOUD=true/);
  });

  it('runs on node:20-bookworm-slim as the non-root node user, in production mode', () => {
    const runtime = stage('runtime');
    expect(runtime).toMatch(/^FROM node:20-bookworm-slim AS runtime/);
    expect(runtime).toMatch(/^USER (node|1000)(:(node|1000))?$/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/^EXPOSE \$\{?PORT\}?$/m);
    expect(runtime).toMatch(/COPY --from=prod-deps \/app\/node_modules/);
    expect(runtime).toMatch(/COPY package\.json/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist\/apps\/\$\{SERVICE\}/);
    const healthcheck = lines.find((l) => l.startsWith('HEALTHCHECK')) ?? '';
    expect(healthcheck).toContain('/health/live');
    expect(healthcheck).toContain('fetch(');
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it('starts the dist entry point of the service given by the SERVICE build arg', () => {
    const runtime = stage('runtime');
    const link = /ln -s "?([^"\s]+)"? (\S+)/.exec(runtime);
    expect(link).not.toBeNull();
    const [, target, linkPath] = link!;
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(runtime);
    expect(entrypoint).not.toBeNull();
    const argv = JSON.parse(entrypoint![1]) as string[];
    expect(argv[0]).toBe('node');
    expect(path.posix.resolve('/app', argv[1])).toBe(path.posix.resolve('/app', linkPath));
    for (const service of NAMES) {
      expect(target.replace(/\$\{SERVICE\}/g, service)).toBe(dist(service));
    }
    expect(runtime).toMatch(/^WORKDIR \/app$/m);
  });

  it('accepts exactly the five services and their ports as build args', () => {
    const guard = /case "\$\{SERVICE\}:\$\{PORT\}" in\s+(\S+)\)/.exec(stage('build'));
    expect(guard).not.toBeNull();
    expect(guard![1].split('|').sort()).toEqual(NAMES.map((n) => `${n}:${SERVICES[n]}`).sort());
  });

  it('has a Dockerfile-specific ignore file that keeps the sources and drops node_modules', () => {
    const ignore = read('deploy/docker/Dockerfile.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const pattern of ['**/node_modules', 'dist', '.git', '.env'])
      expect(ignore).toContain(pattern);
    for (const kept of [
      'package.json',
      'package-lock.json',
      'apps',
      'libs',
      'nx.json',
      'tsconfig.base.json',
    ]) {
      expect(ignore).not.toContain(kept);
    }
  });
});

// ----------------------------------------------------------------------------- compose

describe('deploy/docker-compose.yml', () => {
  const compose = yamlDoc('deploy/docker-compose.yml');
  const services = compose.services as Record<string, Json>;
  const setupJobs = NAMES.map((n) => `${n}-setup`);

  it('follows the Compose spec without a version key', () => {
    expect(compose.version).toBeUndefined();
  });

  it('has postgres, kafka, the five services and one setup job each', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['kafka', 'postgres', ...NAMES, ...setupJobs].sort(),
    );
  });

  it('runs PostgreSQL 15 with a pg_isready healthcheck and a named volume', () => {
    const pg = services.postgres;
    expect(pg.image).toBe('postgres:15');
    expect(healthTest(pg)).toContain('pg_isready');
    const volume = String(pg.volumes[0]).split(':')[0];
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('runs a single-node KRaft Kafka 4.1.1 without topic auto-creation', () => {
    const kafka = services.kafka;
    const env = composeEnv(kafka.environment);
    expect(kafka.image).toBe('apache/kafka:4.1.1');
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_NODE_ID).toBe('1');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toMatch(/^1@/);
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_ADVERTISED_LISTENERS.split(',')).toContain('PLAINTEXT://kafka:9092');
    // every advertised listener is a listener, and every listener has a security protocol
    const listenerNames = env.KAFKA_LISTENERS.split(',').map((l: string) => l.split(':')[0]);
    const protocolMap = env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',').map(
      (l: string) => l.split(':')[0],
    );
    for (const advertised of env.KAFKA_ADVERTISED_LISTENERS.split(',')) {
      expect(listenerNames).toContain(advertised.split(':')[0]);
    }
    for (const name of listenerNames) expect(protocolMap).toContain(name);
    // the host listener is published on the port it advertises
    const host: string =
      env.KAFKA_ADVERTISED_LISTENERS.split(',').find(
        (l: string) => !l.startsWith('PLAINTEXT://'),
      ) ?? '';
    const hostPort = Number(host.split(':').pop());
    expect(hostPort).toBeGreaterThan(0);
    expect(kafka.ports.map(composePort)).toContainEqual({ published: hostPort, target: hostPort });
    expect(healthTest(kafka)).toContain('kafka-broker-api-versions.sh');
    const volume = String(kafka.volumes[0]).split(':');
    expect(Object.keys(compose.volumes)).toContain(volume[0]);
    expect(volume[1]).toBe(env.KAFKA_LOG_DIRS);
  });

  describe.each(NAMES)('%s', (name) => {
    const port = SERVICES[name];
    const app = services[name];
    const setup = services[`${name}-setup`];

    it.each([
      ['service', () => app],
      ['setup job', () => setup],
    ])('%s: builds the service image and gets its required environment', (_kind, get) => {
      const svc = get();
      expect(svc.build.context).toBe('..');
      expect(svc.build.dockerfile).toBe('deploy/docker/Dockerfile');
      expect(composeEnv(svc.build.args)).toEqual({ SERVICE: name, PORT: String(port) });
      const env = composeEnv(svc.environment);
      for (const variable of requiredNames) expect(env[variable]).toBeTruthy();
      expect(env.PORT).toBe(String(port));
      const url = new URL(env.DATABASE_URL);
      expect(url.protocol).toBe('postgres:');
      expect(`${url.hostname}:${url.port}`).toBe('postgres:5432');
      expect(url.pathname).toBe(`/${databaseOf(name)}`);
      expect(env.KAFKA_BROKERS.split(',')).toContain('kafka:9092');
      for (const variable of Object.keys(env)) expect(documentedNames).toContain(variable);
    });

    it('passes the production security rules: a token key source, not the dev issuer or key', () => {
      for (const svc of [app, setup]) {
        const env = composeEnv(svc.environment);
        expect(env.NODE_ENV).toBe('production');
        expect(securityConfigProblems(env)).toEqual([]);
        expect(svc.secrets).toEqual(['jwt-public-key']);
      }
      expect(compose.secrets['jwt-public-key'].file).toBe('../.local/dev-keys/public.pem');
    });

    it('service and setup job share one image', () => {
      expect(app.image).toBe(setup.image);
      expect(app.build).toEqual(setup.build);
    });

    it('setup job: runs `setup` once, after postgres and kafka are healthy', () => {
      expect(setup.command).toEqual(['setup']);
      expect(setup.restart).toBe('no');
      expect(dependsOn(setup)).toEqual({ postgres: 'service_healthy', kafka: 'service_healthy' });
      expect(setup.ports).toBeUndefined();
    });

    it('service: publishes its port and only checks migrations', () => {
      expect(app.command).toBeUndefined();
      expect(app.ports.map(composePort)).toEqual([{ published: port, target: port }]);
      expect(composeEnv(app.environment).DATABASE_MIGRATIONS).toBe('check');
      expect(healthTest(app)).toContain('/health/ready');
    });

    it('service: waits for every setup job to complete and for postgres and kafka', () => {
      const deps = dependsOn(app);
      for (const job of setupJobs) expect(deps[job]).toBe('service_completed_successfully');
      expect(deps.postgres).toBe('service_healthy');
      expect(deps.kafka).toBe('service_healthy');
    });
  });
});

// ----------------------------------------------------------------------------- Kubernetes

describe('deploy/k8s', () => {
  const K8S = 'deploy/k8s';

  it('has one folder per service and a README', () => {
    const dirs = fs
      .readdirSync(path.join(ROOT, K8S), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(dirs.sort()).toEqual([...NAMES].sort());
    expect(fs.existsSync(path.join(ROOT, K8S, 'README.md'))).toBe(true);
  });

  describe.each(NAMES)('%s', (name) => {
    const port = SERVICES[name];
    const dir = `${K8S}/${name}`;
    const kustomization = yamlDoc(`${dir}/kustomization.yaml`);
    const configMap = yamlDoc(`${dir}/configmap.yaml`);
    const secret = yamlDoc(`${dir}/secret.example.yaml`);
    const job = yamlDoc(`${dir}/migration-job.yaml`);
    const deployment = yamlDoc(`${dir}/deployment.yaml`);
    const service = yamlDoc(`${dir}/service.yaml`);
    const container = deployment.spec.template.spec.containers[0];
    const jobContainer = job.spec.template.spec.containers[0];

    /** A probe's or port's target as a number, resolving a named container port. */
    const portNumber = (target: number | string): number =>
      typeof target === 'number'
        ? target
        : container.ports.find((p: Json) => p.name === target)?.containerPort;

    it('kustomization lists its manifests, which exist, and not the secret example', () => {
      expect(kustomization.kind).toBe('Kustomization');
      expect([...kustomization.resources].sort()).toEqual(
        ['configmap.yaml', 'deployment.yaml', 'migration-job.yaml', 'service.yaml'].sort(),
      );
      for (const file of kustomization.resources)
        expect(fs.existsSync(path.join(ROOT, dir, file))).toBe(true);
      const onDisk = fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.ya?ml$/.test(f));
      expect(onDisk.sort()).toEqual(
        [...kustomization.resources, 'kustomization.yaml', 'secret.example.yaml'].sort(),
      );
    });

    it('ConfigMap: non-secret settings, all documented, with its port', () => {
      expect(configMap.kind).toBe('ConfigMap');
      expect(configMap.data.PORT).toBe(String(port));
      expect(configMap.data.KAFKA_BROKERS).toBeTruthy();
      expect(configMap.data.DATABASE_URL).toBeUndefined();
      for (const key of Object.keys(configMap.data)) expect(documentedNames).toContain(key);
      for (const value of Object.values(configMap.data)) expect(typeof value).toBe('string');
    });

    it('ConfigMap: passes the production security rules, API docs off', () => {
      expect(configMap.data.NODE_ENV).toBe('production');
      expect(securityConfigProblems(configMap.data)).toEqual([]);
      expect(configMap.data.OPENAPI_ENABLED).toBe('false');
    });

    it('Secret example: an example DATABASE_URL naming its own database', () => {
      expect(secret.kind).toBe('Secret');
      expect(secret.metadata.annotations['bank-crm/example']).toBe('true');
      expect(read(`${dir}/secret.example.yaml`)).toMatch(/^# EXAMPLE ONLY/);
      expect(new URL(secret.stringData.DATABASE_URL).pathname).toBe(`/${databaseOf(name)}`);
    });

    it.each([
      ['Deployment', () => deployment.spec.template.spec, () => container],
      ['Job', () => job.spec.template.spec, () => jobContainer],
    ])('%s: reads the ConfigMap and the Secret, hardened', (_kind, getPod, getContainer) => {
      const pod = getPod();
      const c = getContainer();
      expect(c.envFrom).toEqual([
        { configMapRef: { name: configMap.metadata.name } },
        { secretRef: { name: secret.metadata.name } },
      ]);
      for (const env of c.env ?? []) expect(documentedNames).toContain(env.name);
      expect(pod.securityContext.runAsNonRoot || c.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBe(1000);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
      for (const kind of ['requests', 'limits']) {
        expect(c.resources[kind].cpu).toBeTruthy();
        expect(c.resources[kind].memory).toBeTruthy();
      }
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: expect.any(Object) });
    });

    it('Job: runs `setup` with the Deployment image, bounded retries and cleanup', () => {
      expect(job.kind).toBe('Job');
      expect(job.apiVersion).toBe('batch/v1');
      expect(jobContainer.args).toEqual(['setup']);
      expect(jobContainer.command).toBeUndefined();
      expect(jobContainer.image).toBe(container.image);
      expect(job.spec.backoffLimit).toEqual(expect.any(Number));
      expect(job.spec.ttlSecondsAfterFinished).toEqual(expect.any(Number));
      expect(['Never', 'OnFailure']).toContain(job.spec.template.spec.restartPolicy);
      const env = Object.fromEntries(jobContainer.env.map((e: Json) => [e.name, e.value]));
      expect(env.DATABASE_MIGRATIONS).toBe('run');
    });

    it('Deployment: two replicas that never migrate, probed on the health endpoints', () => {
      expect(deployment.kind).toBe('Deployment');
      expect(deployment.spec.replicas).toBe(2);
      expect(container.ports.map((p: Json) => p.containerPort)).toEqual([port]);
      const env = Object.fromEntries(container.env.map((e: Json) => [e.name, e.value]));
      expect(env.DATABASE_MIGRATIONS).toBe('check');
      expect(configMap.data.DATABASE_MIGRATIONS).toBeUndefined();
      const probes: Array<[string, string]> = [
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
        ['startupProbe', '/health/live'],
      ];
      for (const [probe, probePath] of probes) {
        expect(container[probe].httpGet.path).toBe(probePath);
        expect(portNumber(container[probe].httpGet.port)).toBe(port);
      }
    });

    it('Deployment: grace period above SHUTDOWN_TIMEOUT_MS, Prometheus scrape annotations', () => {
      const pod = deployment.spec.template;
      const shutdownMs = Number(configMap.data.SHUTDOWN_TIMEOUT_MS);
      const preStopSeconds = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        shutdownMs + preStopSeconds * 1000,
      );
      expect(pod.metadata.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
      for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) {
        expect(pod.metadata.labels[key]).toBe(value);
      }
    });

    it('Service: ClusterIP on the port, selecting the Deployment pods', () => {
      expect(service.kind).toBe('Service');
      expect(service.spec.type).toBe('ClusterIP');
      expect(service.spec.ports).toHaveLength(1);
      expect(service.spec.ports[0].port).toBe(port);
      expect(portNumber(service.spec.ports[0].targetPort)).toBe(port);
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    });
  });
});
