// `node --import tsx bench/queue.ts` (as docs/delivery.md shows) runs the queue suite alone, like `pnpm bench queue`.
import { benchSettings } from "./bench-kit";
import { queueBench } from "./queue.bench";

const section = await queueBench(benchSettings(process.argv.slice(2), process.env));
console.log(`## ${section.title}\n\n${section.body}`);
