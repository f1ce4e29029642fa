//! Reading a message's text without its attachments. From the BODYSTRUCTURE a server
//! gives, [`plan`] says which parts to fetch (text of every kind, calendar objects,
//! reports, enclosed messages, anything small) and which to leave on the server (a
//! large image, PDF or archive: only its MIME header is fetched); [`Plan::rebuild`]
//! puts the pieces back into the body the classifier reads: the same tree, the same
//! boundaries and part headers, a skipped part's content left empty (the classifier
//! never reads such content, only its type and name).
//!
//! It must never guess: a structure it cannot follow (a multipart without a boundary,
//! nesting too deep, too many parts) or one with nothing to leave out gives no plan,
//! and the message is fetched as before (`BODY.PEEK[TEXT]`, capped).

use std::collections::HashMap;

use imap_proto::{BodyStructure, MessageSection, SectionPath};

/// A part larger than this, of a kind the classifier never reads (image, audio, video,
/// an application's data other than a calendar), is left on the server.
pub const SKIP_OVER: u32 = 16 * 1024;
/// At most this many parts are fetched one by one; a message with more is fetched whole.
const MAX_PARTS: usize = 64;
/// At most this deep a multipart nests; a deeper one is fetched whole.
const MAX_DEPTH: usize = 8;

/// How to fetch one message's text part by part, and put it back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The root multipart's boundary and its children.
    boundary: String,
    children: Vec<Node>,
}

/// One part below the root.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// A multipart: its section path, boundary and children.
    Multipart {
        path: String,
        boundary: String,
        children: Vec<Node>,
    },
    /// A leaf: its section path, and whether its content is fetched.
    Leaf { path: String, fetch: bool },
}

/// The plan for a message of this structure, if it has a large part to leave out.
pub fn plan(bs: &BodyStructure<'_>) -> Option<Plan> {
    let BodyStructure::Multipart { common, bodies, .. } = bs else {
        return None;
    };
    let boundary = boundary(&common.ty.params)?;
    let mut count = 0;
    let children = children(bodies, "", 1, &mut count)?;
    let plan = Plan { boundary, children };
    plan.skips().then_some(plan)
}

/// The `boundary` parameter of a multipart.
fn boundary(params: &imap_proto::BodyParams<'_>) -> Option<String> {
    params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.to_string())
        .filter(|b| !b.is_empty() && !b.contains(['\r', '\n']))
}

/// The nodes of a multipart's parts, numbered below `prefix`.
fn children(
    bodies: &[BodyStructure<'_>],
    prefix: &str,
    depth: usize,
    count: &mut usize,
) -> Option<Vec<Node>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut out = Vec::with_capacity(bodies.len());
    for (i, b) in bodies.iter().enumerate() {
        *count += 1;
        if *count > MAX_PARTS {
            return None;
        }
        let path = match prefix {
            "" => (i + 1).to_string(),
            p => format!("{p}.{}", i + 1),
        };
        out.push(match b {
            BodyStructure::Multipart { common, bodies, .. } => Node::Multipart {
                boundary: boundary(&common.ty.params)?,
                children: children(bodies, &path, depth + 1, count)?,
                path,
            },
            BodyStructure::Text { .. } | BodyStructure::Message { .. } => {
                Node::Leaf { path, fetch: true }
            }
            BodyStructure::Basic { common, other, .. } => {
                let ty = &common.ty;
                Node::Leaf {
                    path,
                    fetch: read(&ty.ty, &ty.subtype) || other.octets <= SKIP_OVER,
                }
            }
        });
    }
    Some(out)
}

/// Whether the classifier reads a part of this type whatever its size: message parts
/// (delivery reports, enclosed messages) and calendar objects.
fn read(ty: &str, subtype: &str) -> bool {
    ty.eq_ignore_ascii_case("message")
        || ty.eq_ignore_ascii_case("text")
        || (ty.eq_ignore_ascii_case("application")
            && ["ics", "calendar", "x-ics"]
                .iter()
                .any(|s| subtype.eq_ignore_ascii_case(s)))
}

impl Plan {
    /// Whether a part is left on the server (else the plan saves nothing).
    fn skips(&self) -> bool {
        fn any(nodes: &[Node]) -> bool {
            nodes.iter().any(|n| match n {
                Node::Multipart { children, .. } => any(children),
                Node::Leaf { fetch, .. } => !fetch,
            })
        }
        any(&self.children)
    }

    /// The FETCH items: every part's MIME header, and the first `cap` bytes of the
    /// content of the parts read. Two messages with the same items are fetched together.
    pub fn items(&self, cap: u32) -> Vec<String> {
        fn walk(nodes: &[Node], cap: u32, out: &mut Vec<String>) {
            for n in nodes {
                match n {
                    Node::Multipart { path, children, .. } => {
                        out.push(format!("BODY.PEEK[{path}.MIME]"));
                        walk(children, cap, out);
                    }
                    Node::Leaf { path, fetch } => {
                        out.push(format!("BODY.PEEK[{path}.MIME]"));
                        if *fetch {
                            out.push(format!("BODY.PEEK[{path}]<0.{cap}>"));
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.children, cap, &mut out);
        out
    }

    /// The message's text (everything after its header block) put back together from
    /// the fetched sections (keyed as [`section_key`] names them); `None` when one
    /// asked for did not come.
    pub fn rebuild(&self, sections: &HashMap<String, Vec<u8>>) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        body(&self.boundary, &self.children, sections, &mut out)?;
        Some(out)
    }
}

/// Writes a multipart's body: each part with its MIME header, between boundaries.
fn body(
    boundary: &str,
    nodes: &[Node],
    sections: &HashMap<String, Vec<u8>>,
    out: &mut Vec<u8>,
) -> Option<()> {
    for n in nodes {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let path = match n {
            Node::Multipart { path, .. } | Node::Leaf { path, .. } => path,
        };
        let mime = sections.get(&format!("{path}.MIME"))?;
        out.extend_from_slice(mime);
        // The header ends with its blank line (a part without headers is the blank
        // line alone); a server that leaves it off gets one.
        let end: &[u8] = if mime.is_empty() {
            b"\r\n"
        } else if mime.ends_with(b"\r\n\r\n") || mime.ends_with(b"\n\n") {
            b""
        } else if mime.ends_with(b"\n") {
            b"\r\n"
        } else {
            b"\r\n\r\n"
        };
        out.extend_from_slice(end);
        match n {
            Node::Multipart {
                boundary, children, ..
            } => body(boundary, children, sections, out)?,
            Node::Leaf { fetch: true, .. } => out.extend_from_slice(sections.get(path)?),
            Node::Leaf { fetch: false, .. } => {}
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Some(())
}

/// The key a fetched part section is kept under: `1.2` for its content, `1.2.MIME` for
/// its header; `None` for any other section.
pub fn section_key(section: &SectionPath) -> Option<String> {
    let SectionPath::Part(path, what) = section else {
        return None;
    };
    let path: Vec<String> = path.iter().map(u32::to_string).collect();
    let path = path.join(".");
    match what {
        None => Some(path),
        Some(MessageSection::Mime) => Some(format!("{path}.MIME")),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests;
