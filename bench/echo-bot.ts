import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

/**
 * The baseline for the turn-latency benchmark: a bare botbuilder echo bot on the same HTTP path as scbot
 * (restify + bodyParser + CloudAdapter, inbound auth off, replies POSTed to the activity's serviceUrl), so the
 * ratio between the two isolates what scbot adds on top of the framework.
 */
export interface EchoBot {
  url: string;
  close(): Promise<void>;
}

class Echo extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

export async function startEchoBot(host = '127.0.0.1'): Promise<EchoBot> {
  // An empty configuration means no MicrosoftAppId: inbound auth off, as in scbot's local mode.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new Echo();
  const server = restify.createServer({ name: 'echo-bot' });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
