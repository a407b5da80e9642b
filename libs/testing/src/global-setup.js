// The integration tier needs the real database and broker: fail fast, and clearly, without them.
// (Plain JS: Jest runs globalSetup outside its module mapping.)
const net = require('node:net');
const { Client } = require('pg');

const pgBase = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function reachable(hostPort) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 3000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

module.exports = async function globalSetup() {
  const client = new Client({ connectionString: `${pgBase}/postgres` });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${pgBase} (${error.message}); npm test starts it`,
    );
  }
  if (!(await reachable(brokers[0]))) {
    throw new Error(
      `Kafka is not reachable at ${brokers[0]}; npm test starts it (scripts/kafka/kafka.sh start)`,
    );
  }
};
