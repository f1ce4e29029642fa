//! The picture of the network (`rapport map`): every contact placed on a ring by tier
//! (close inside, acquaintances outside) and in a sector by company, sized by how often
//! you were in touch in the last year, faded by how long ago the last contact was, and
//! coloured by the stage of the relationship. Rendered as one self-contained HTML page
//! (inline SVG, a legend, hover details and a tier/tag filter in a few lines of inline
//! JavaScript) or as a static SVG.
//!
//! Hand-written because the page must open with no network access and no external
//! assets: a charting crate or a JS library would pull files from elsewhere. Pure: the
//! contacts' facts and `now` in, text out. It must never fetch anything, and everything
//! taken from the store is escaped before it goes into markup.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::BTreeMap;
use std::f64::consts::TAU;
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::core::model::Tier;
use crate::core::plan::Stage;

/// What the map knows about one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub role: String,
    pub tier: Tier,
    pub tags: Vec<String>,
    pub stage: Stage,
    pub last_touch: Option<Timestamp>,
    /// Interactions in the last twelve months.
    pub touches_year: u32,
    /// What rapport does next for them, in words.
    pub next: String,
}

/// One person placed on the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub person: Person,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub opacity: f64,
    pub stage: StageGroup,
    /// Days since the last contact, `None` when never.
    pub days_since: Option<i64>,
    /// Whether the name is written beside the dot; past a density it is left to the
    /// hover text, so that no two names overlap.
    pub labelled: bool,
}

/// A company's label at the edge of its sector.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub people: Vec<Placed>,
    pub labels: Vec<Label>,
    pub today: Date,
}

/// Stages grouped the way the legend shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StageGroup {
    New,
    Asked,
    Talking,
    Met,
    KeepingInTouch,
    Quiet,
    Closed,
    /// No address yet (most of a LinkedIn export): nothing is wrong, rapport just cannot
    /// write to them until you add one.
    NoEmail,
}

impl StageGroup {
    pub const ALL: [StageGroup; 8] = [
        StageGroup::New,
        StageGroup::Asked,
        StageGroup::Talking,
        StageGroup::Met,
        StageGroup::KeepingInTouch,
        StageGroup::Quiet,
        StageGroup::Closed,
        StageGroup::NoEmail,
    ];

    pub fn of(stage: &Stage) -> StageGroup {
        match stage {
            Stage::New => StageGroup::New,
            Stage::Requested { .. } | Stage::Nudged { .. } => StageGroup::Asked,
            Stage::Replied { .. } | Stage::Waiting { .. } | Stage::Scheduled { .. } => {
                StageGroup::Talking
            }
            Stage::Met { .. } | Stage::Thanked { .. } => StageGroup::Met,
            Stage::KeepingInTouch { .. } => StageGroup::KeepingInTouch,
            Stage::Dormant { .. } | Stage::Declined { .. } => StageGroup::Quiet,
            Stage::DoNotContact | Stage::Bounced => StageGroup::Closed,
            Stage::NoAddress => StageGroup::NoEmail,
        }
    }

    /// What the colour means, as the legend and the hover text say it.
    pub fn label(self) -> &'static str {
        match self {
            StageGroup::New => "new: not asked yet",
            StageGroup::Asked => "asked, no answer yet",
            StageGroup::Talking => "replied or meeting set",
            StageGroup::Met => "met",
            StageGroup::KeepingInTouch => "keeping in touch",
            StageGroup::Quiet => "no answer in weeks, or declined",
            StageGroup::Closed => "bounced or do not contact",
            StageGroup::NoEmail => "no email yet: add one to write",
        }
    }

    /// Drawn hollow with a dashed outline: a contact with no address is not a problem.
    pub fn hollow(self) -> bool {
        self == StageGroup::NoEmail
    }

    pub fn color(self) -> &'static str {
        match self {
            StageGroup::New => "#9e9e9e",
            StageGroup::Asked => "#f2a33a",
            StageGroup::Talking => "#3b82c4",
            StageGroup::Met => "#2e9d5b",
            StageGroup::KeepingInTouch => "#7b52ab",
            StageGroup::Quiet => "#c9a9a6",
            StageGroup::Closed => "#d0443e",
            StageGroup::NoEmail => "#ffffff",
        }
    }
}

/// The picture's size, in SVG units.
pub const SIZE: f64 = 900.0;
const CENTER: f64 = SIZE / 2.0;

/// The ring of each tier.
pub fn ring(tier: Tier) -> f64 {
    match tier {
        Tier::Close => 120.0,
        Tier::Regular => 240.0,
        Tier::Acquaintance => 350.0,
    }
}

const NO_COMPANY: &str = "(no company)";

/// Node size: more contact in the last year, a bigger dot (square root, capped).
pub fn radius(touches_year: u32) -> f64 {
    (5.0 + 2.0 * f64::from(touches_year.min(36)).sqrt()).min(16.0)
}

/// Fading by recency: in touch this month is solid, never or over half a year is faint.
pub fn opacity(days_since: Option<i64>) -> f64 {
    match days_since {
        Some(d) if d <= 30 => 1.0,
        Some(d) if d <= 90 => 0.8,
        Some(d) if d <= 180 => 0.6,
        _ => 0.35,
    }
}

/// Places everyone. Companies get sectors in proportion to their size (largest first,
/// then by name), the same sector on every ring; people spread evenly inside it.
pub fn layout(people: &[Person], now: Timestamp, today: Date) -> Layout {
    let mut companies: BTreeMap<String, Vec<&Person>> = BTreeMap::new();
    for p in people {
        let key = if p.company.trim().is_empty() {
            NO_COMPANY.to_string()
        } else {
            p.company.trim().to_string()
        };
        companies.entry(key).or_default().push(p);
    }
    let mut order: Vec<(String, Vec<&Person>)> = companies.into_iter().collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let total = people.len().max(1) as f64;
    let mut placed = Vec::with_capacity(people.len());
    let mut labels = Vec::new();
    let mut angle = -TAU / 4.0; // start at the top
    for (company, members) in order {
        let span = TAU * members.len() as f64 / total;
        for tier in Tier::ALL {
            let mut on_ring: Vec<&&Person> = members.iter().filter(|p| p.tier == *tier).collect();
            on_ring.sort_by(|a, b| {
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then(a.id.cmp(&b.id))
            });
            let n = on_ring.len() as f64;
            for (i, p) in on_ring.into_iter().enumerate() {
                let a = angle + span * (i as f64 + 0.5) / n;
                let days_since = p
                    .last_touch
                    .map(|t| (now.as_second() - t.as_second()).max(0) / 86_400);
                placed.push(Placed {
                    person: (*p).clone(),
                    x: CENTER + ring(*tier) * a.cos(),
                    y: CENTER + ring(*tier) * a.sin(),
                    r: radius(p.touches_year),
                    opacity: opacity(days_since),
                    stage: StageGroup::of(&p.stage),
                    days_since,
                    labelled: false,
                });
            }
        }
        let mid = angle + span / 2.0;
        let lr = ring(Tier::Acquaintance) + 40.0;
        let text = format!("{company} ({})", members.len());
        if !fits(lr * span, mid, name_width(&text)) {
            angle += span;
            continue;
        }
        labels.push(Label {
            text,
            x: CENTER + lr * mid.cos(),
            y: CENTER + lr * mid.sin(),
            anchor: if mid.cos() > 0.2 {
                "start"
            } else if mid.cos() < -0.2 {
                "end"
            } else {
                "middle"
            },
        });
        angle += span;
    }
    place_labels(&mut placed);
    Layout {
        people: placed,
        labels,
        today,
    }
}

/// Writes a name beside its dot only where it overlaps no name already written, busiest
/// contacts first; the others are read by hovering.
fn place_labels(placed: &mut [Placed]) {
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(placed[i].person.touches_year), i));
    let mut taken: Vec<(f64, f64, f64)> = Vec::new();
    for i in order {
        let p = &placed[i];
        let (x, y, w) = (p.x + p.r + 3.0, p.y, name_width(&p.person.name));
        let clear = taken
            .iter()
            .all(|&(tx, ty, tw)| x + w <= tx || tx + tw <= x || (y - ty).abs() >= LINE_HEIGHT);
        if clear {
            taken.push((x, y, w));
            placed[i].labelled = true;
        }
    }
}

/// Height of a line of label text, in SVG units (font size 11-12 and a little air).
const LINE_HEIGHT: f64 = 15.0;

/// Most characters of a name written beside its dot; the rest is in the hover text.
const NAME_CHARS: usize = 18;

/// How wide a label is drawn, in SVG units: about 6.5 per character at font size 11,
/// a wide (CJK) character counting two.
pub fn name_width(text: &str) -> f64 {
    let cells: usize = label_text(text).chars().map(char_cells).sum();
    6.5 * cells as f64 + 20.0
}

fn char_cells(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// A name as written beside its dot: shortened past [`NAME_CHARS`].
pub fn label_text(name: &str) -> String {
    let mut chars = name.chars();
    let mut short: String = chars.by_ref().take(NAME_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

/// Whether labels `spacing` apart along a circle, at angle `a`, stay clear of their
/// neighbours: neighbours are apart vertically by `spacing·|cos a|` and horizontally by
/// `spacing·|sin a|`; a label one line high and `width` wide fits if either is enough.
fn fits(spacing: f64, a: f64, width: f64) -> bool {
    spacing * a.cos().abs() >= LINE_HEIGHT || spacing * a.sin().abs() >= width
}

/// Escapes text for XML/HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The hover text for one person.
pub fn detail(p: &Placed) -> String {
    let who = &p.person;
    let works = match (who.role.is_empty(), who.company.is_empty()) {
        (false, false) => format!(" — {} at {}", who.role, who.company),
        (true, false) => format!(" — {}", who.company),
        (false, true) => format!(" — {}", who.role),
        (true, true) => String::new(),
    };
    let last = match p.days_since {
        Some(0) => "last contact today".to_string(),
        Some(1) => "last contact 1 day ago".to_string(),
        Some(d) => format!("last contact {d} days ago"),
        None => "no contact yet".to_string(),
    };
    let tags = if who.tags.is_empty() {
        String::new()
    } else {
        format!(" · tags: {}", who.tags.join(", "))
    };
    format!(
        "{}{works}\ntier {} · {}{tags}\n{last} · {} {} in 12 months\nnext: {}",
        who.name,
        who.tier,
        p.stage.label(),
        who.touches_year,
        if who.touches_year == 1 {
            "interaction"
        } else {
            "interactions"
        },
        who.next
    )
}

/// The SVG drawing: rings, company labels and people (each with a `<title>` for hover).
pub fn svg(l: &Layout, standalone: bool) -> String {
    let mut s = String::new();
    let xmlns = if standalone {
        " xmlns=\"http://www.w3.org/2000/svg\""
    } else {
        ""
    };
    let _ = write!(
        s,
        "<svg{xmlns} id=\"map\" viewBox=\"-150 0 {w} {SIZE}\" width=\"{w}\" height=\"{SIZE}\" role=\"img\" aria-label=\"Your network\" font-family=\"sans-serif\" font-size=\"12\">",
        w = SIZE + 300.0
    );
    let _ = write!(
        s,
        "<rect x=\"-150\" y=\"0\" width=\"{}\" height=\"{SIZE}\" fill=\"#ffffff\"/>",
        SIZE + 300.0
    );
    for tier in Tier::ALL {
        let _ = write!(
            s,
            "<circle cx=\"{CENTER}\" cy=\"{CENTER}\" r=\"{}\" fill=\"none\" stroke=\"#dddddd\" stroke-dasharray=\"4 4\"/><text x=\"{CENTER}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#999999\">{}</text>",
            ring(*tier),
            CENTER - ring(*tier) - 6.0,
            tier
        );
    }
    for lb in &l.labels {
        let _ = write!(
            s,
            "<text class=\"company\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\" fill=\"#444444\">{}</text>",
            lb.x,
            lb.y,
            lb.anchor,
            escape(&lb.text)
        );
    }
    for p in &l.people {
        let who = &p.person;
        let detail = escape(&detail(p));
        let outline = if p.stage.hollow() {
            "stroke=\"#555555\" stroke-width=\"1.2\" stroke-dasharray=\"2 2\""
        } else {
            "stroke=\"#333333\" stroke-width=\"0.8\""
        };
        let _ = write!(
            s,
            "<g class=\"person\" data-id=\"{}\" data-tier=\"{}\" data-stage=\"{}\" data-tags=\"{}\" data-detail=\"{detail}\"><title>{detail}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\" fill-opacity=\"{:.2}\" {outline}/>",
            who.id,
            who.tier,
            escape(p.stage.label()),
            escape(&who.tags.join("|")),
            p.x,
            p.y,
            p.r,
            p.stage.color(),
            p.opacity,
        );
        if p.labelled {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#333333\">{}</text>",
                p.x + p.r + 3.0,
                p.y + 4.0,
                escape(&label_text(&who.name))
            );
        }
        s.push_str("</g>");
    }
    s.push_str(&legend_svg(l));
    s.push_str("</svg>");
    s
}

fn legend_svg(l: &Layout) -> String {
    let mut s = String::from("<g class=\"legend\" transform=\"translate(-140 20)\">");
    let _ = write!(
        s,
        "<text font-weight=\"bold\">Colour: where you stand</text>"
    );
    for (i, g) in StageGroup::ALL.iter().enumerate() {
        let y = 18 + 18 * i;
        let dash = if g.hollow() {
            " stroke-dasharray=\"2 2\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<circle cx=\"6\" cy=\"{}\" r=\"6\" fill=\"{}\" stroke=\"#555555\" stroke-width=\"0.8\"{dash}/><text x=\"18\" y=\"{}\">{}</text>",
            y - 4,
            g.color(),
            y,
            escape(g.label())
        );
    }
    let y = 18 + 18 * StageGroup::ALL.len() + 8;
    let _ = write!(
        s,
        "<text y=\"{}\">Size: interactions in 12 months</text><text y=\"{}\">Faded: no contact for months</text><text y=\"{}\">Rings: close, regular, acquaintance</text><text y=\"{}\">Names hidden where crowded: hover</text><text y=\"{}\">As of {}</text></g>",
        y,
        y + 16,
        y + 32,
        y + 48,
        y + 64,
        l.today
    );
    s
}

const STYLE: &str = "body{font-family:sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.3em;margin:0 0 .3em}form{margin:.5em 0 1em}label{margin-right:1.2em}\
output{font-weight:bold}#tip{position:fixed;pointer-events:none;background:#fffbe6;\
border:1px solid #caa;padding:.4em .6em;font-size:13px;white-space:pre-line;max-width:28em}";

/// Filters by tier and tag (also from `?tier=close&tag=fintech`), counts who is shown,
/// and shows a person's details on hover.
const SCRIPT: &str = r#"(function () {
  var people = Array.prototype.slice.call(document.querySelectorAll('g.person'));
  var tier = document.getElementById('tier'), tag = document.getElementById('tag');
  var count = document.getElementById('count'), tip = document.getElementById('tip');
  function apply() {
    var shown = 0;
    people.forEach(function (p) {
      var tags = p.getAttribute('data-tags').split('|');
      var ok = (!tier.value || p.getAttribute('data-tier') === tier.value) &&
               (!tag.value || tags.indexOf(tag.value) >= 0);
      p.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    count.textContent = shown + (shown === 1 ? ' person' : ' people') + ' shown';
    count.setAttribute('data-shown', String(shown));
  }
  var q = new URLSearchParams(window.location.search);
  [[tier, 'tier'], [tag, 'tag']].forEach(function (f) {
    var v = q.get(f[1]);
    if (v !== null && Array.prototype.some.call(f[0].options, function (o) { return o.value === v; })) {
      f[0].value = v;
    }
    f[0].addEventListener('change', apply);
  });
  people.forEach(function (p) {
    p.addEventListener('mousemove', function (e) {
      tip.textContent = p.getAttribute('data-detail');
      tip.style.left = (e.clientX + 14) + 'px';
      tip.style.top = (e.clientY + 14) + 'px';
      tip.hidden = false;
    });
    p.addEventListener('mouseleave', function () { tip.hidden = true; });
  });
  apply();
})();"#;

fn options(values: &[String]) -> String {
    let mut s = String::from("<option value=\"\">all</option>");
    for v in values {
        let v = escape(v);
        let _ = write!(s, "<option value=\"{v}\">{v}</option>");
    }
    s
}

/// The self-contained page: no external assets, and a Content-Security-Policy that
/// forbids fetching anything, so opening it never touches the network.
pub fn html(l: &Layout) -> String {
    let tiers: Vec<String> = Tier::ALL.iter().map(ToString::to_string).collect();
    let mut tags: Vec<String> = l
        .people
        .iter()
        .flat_map(|p| p.person.tags.clone())
        .collect();
    tags.sort();
    tags.dedup();
    let n = l.people.len();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
<title>rapport: your network</title><style>{STYLE}</style></head><body>\
<h1>Your network</h1><p id=\"summary\">{n} {} as of {} (by tier and company; hover for details)</p>\
<form id=\"filters\"><label>Tier <select id=\"tier\">{}</select></label>\
<label>Tag <select id=\"tag\">{}</select></label><output id=\"count\"></output></form>\
{}<div id=\"tip\" hidden></div><script>{SCRIPT}</script></body></html>\n",
        if n == 1 { "person" } else { "people" },
        l.today,
        options(&tiers),
        options(&tags),
        svg(l, false)
    )
}

#[cfg(test)]
mod tests;
