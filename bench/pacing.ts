// How messages leave the senders: warm-up one at a time, then throttled or unthrottled.
import type { Sender } from "./clients.ts";
import { type Deadline, sleep, wait_until } from "./timing.ts";
import type { Tracker } from "./tracker.ts";

/** Sends warm-up messages one at a time and waits for each to reach everyone. */
export async function warm_up(
  senders: Sender[],
  tracker: Tracker,
  deadline: Deadline,
): Promise<string | null> {
  for (let index = 0; index < tracker.first_measured; index++) {
    const sender = senders[index % senders.length];
    sender.send(index);
    const everyone = () => tracker.per_message[index] >= tracker.subscribers && !sender.in_flight;
    if (!(await wait_until(everyone, deadline.cap(10_000), 5))) {
      const got = tracker.per_message[index];
      return `warm-up message ${index} reached ${got} of ${tracker.subscribers} subscribers`;
    }
  }
  return null;
}

/** Sends `count` messages at `rate` per second in total, round-robin over the senders. */
export async function send_throttled(
  senders: Sender[],
  first: number,
  count: number,
  rate: number,
  deadline: Deadline,
  counter: { sent: number },
): Promise<void> {
  const start = performance.now();
  for (let k = 0; k < count; k++) {
    const wait = start + k * 1000 / rate - performance.now();
    if (wait > 0) await sleep(wait);
    if (deadline.passed()) return;
    senders[k % senders.length].send(first + k);
    counter.sent++;
  }
}

/** Sends as fast as possible, each sender keeping at most `window` messages unacknowledged. */
export async function send_unthrottled(
  senders: Sender[],
  first: number,
  count: number,
  window: number,
  limits: { deadline: Deadline; stall_ms: number },
  counter: { sent: number },
): Promise<void> {
  let next = first;
  const end = first + count;
  async function pump(sender: Sender) {
    while (next < end && !limits.deadline.passed() && sender.open_now) {
      if (sender.in_flight < window) {
        sender.send(next++);
        counter.sent++;
        continue;
      }
      await sender.wait_progress(250);
      sender.expire(limits.stall_ms);
    }
  }
  await Promise.all(senders.map(pump));
}
