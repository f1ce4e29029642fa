//! The harness steps of a conversation the CLI tests share.

use super::*;

/// Jessica's meeting request drafted, approved and sent; then, at `now`, her answer
/// `<ID@mail.example.com>` dated `date` with `body`, delivered in the thread.
pub(crate) fn jessica_asked_and_answers(
    env: &mut Env,
    now: &str,
    date: &str,
    id: &str,
    body: &str,
) {
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let asked = sent_message_id(env);
    env.now = now.into();
    env.deliver(
        "1764100000.jessica.example:2,",
        &format!(
            "From: Jessica Park <jessica@example.com>\n\
             To: Ada Lovelace <ada@example.org>\n\
             Subject: Re: 25 minutes?\n\
             Date: {date}\n\
             Message-ID: <{id}@mail.example.com>\n\
             In-Reply-To: <{asked}>\n\
             References: <{asked}>\n\
             \n\
             {body}"
        ),
    );
}
