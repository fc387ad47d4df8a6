import { AppendNotice } from "./inbox_live.tsx";
import { Layout } from "./layout.tsx";

/** The page a plain form post gets when its body is over the limit (routes/limits.ts). */
export function TooLargePage(props: { reason: string }) {
  return (
    <Layout title="Too large" user={null}>
      <main id="main" class="index">
        <h1>That was too large to send</h1>
        <p class="form-error" role="alert">{props.reason}</p>
        <p>
          Go back, shorten what you typed, and send it again. <a href="/">Home</a>
        </p>
      </main>
    </Layout>
  );
}

/** The same refusal for an htmx post: a notice line on the page, the form left as it was. */
export function TooLargeNotice(props: { reason: string }) {
  return (
    <AppendNotice>
      <p class="notice refused" role="alert">{props.reason}</p>
    </AppendNotice>
  );
}
