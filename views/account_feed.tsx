/** The mention feed card's state: when the current link was made, and a new link just made. */
export interface MentionFeedState {
  made: Date | null;
  /** The full address of a link made by this very request: it is shown this once only. */
  fresh?: string;
  done?: string;
}

/**
 * The account page's mention feed card: make a private Atom link (shown once, only its hash
 * is kept), replace it (the old one stops working) or turn it off.
 */
export function MentionFeedCard(props: { feed: MentionFeedState }) {
  const { feed } = props;
  return (
    <section class="card" id="mention-feed">
      <h2>Feed of your mentions</h2>
      <p>
        A private Atom address for a feed reader: the newest messages that mention you, from rooms
        you can still read. Anyone with the address can read it.
      </p>
      {feed.fresh && (
        <label>
          Your feed address (copy it now: it is not shown again)
          <input readonly value={feed.fresh} />
        </label>
      )}
      {feed.done && <p role="status">{feed.done}</p>}
      {!feed.fresh && feed.made && <p>You have a feed address, made {feed.made.toUTCString()}.</p>}
      <form method="post" action="/account/mention-feed">
        <button type="submit">{feed.made ? "Replace the address" : "Make a feed address"}</button>
      </form>
      {feed.made && (
        <form method="post" action="/account/mention-feed/revoke">
          <button type="submit" class="danger">Turn the feed off</button>
        </form>
      )}
    </section>
  );
}
