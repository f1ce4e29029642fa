//! `rapport init` and `rapport templates`.

use crate::cli::output::{errln, outln};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::Ctx;
use crate::config;
use crate::followup::draft as drafting;

mod presets;
pub use presets::Provider;

/// The example config, with every key and its default; `init` fills in the identity.
pub const EXAMPLE_CONFIG: &str = include_str!("../../config.example.toml");

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Your name, as it appears in the From line.
    #[arg(long)]
    name: Option<String>,
    /// The address you send from.
    #[arg(long)]
    email: Option<String>,
    /// Your IANA time zone (default: $TZ or /etc/timezone, else UTC).
    #[arg(long)]
    timezone: Option<String>,
    /// Fill [smtp] and [imap] with your provider's documented servers and login.
    #[arg(long, value_enum)]
    provider: Option<Provider>,
}

#[derive(Subcommand, Debug)]
pub enum TemplatesCmd {
    /// Render every template against a sample contact and report problems.
    Check,
    /// Print template NAME rendered for CONTACT (or for a sample contact).
    Preview {
        /// The template: meeting-request (someone you have spoken to), cold-request (a
        /// first contact), nudge, thank-you, check-in, later-follow-up (after their
        /// "later"), intro-ask, intro, intro-declined (a double opt-in introduction),
        /// or one of yours.
        name: String,
        /// The contact: an id, an email address, or part of a name; without it, a sample.
        #[arg(add = super::completions::contacts())]
        contact: Option<String>,
    },
}

fn guess_timezone() -> String {
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':').to_string();
        if jiff::tz::TimeZone::get(&tz).is_ok() {
            return tz;
        }
    }
    if let Ok(text) = std::fs::read_to_string("/etc/timezone") {
        let tz = text.trim().to_string();
        if jiff::tz::TimeZone::get(&tz).is_ok() {
            return tz;
        }
    }
    jiff::tz::TimeZone::system()
        .iana_name()
        .map_or_else(|| "UTC".to_string(), str::to_string)
}

/// Fills the identity into the example config.
pub fn config_text(name: &str, email: &str, timezone: &str) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    EXAMPLE_CONFIG
        .replacen(
            "name = \"Ada Lovelace\"",
            &format!("name = \"{}\"", esc(name)),
            1,
        )
        .replacen(
            "email = \"ada@example.org\"",
            &format!("email = \"{}\"", esc(email)),
            1,
        )
        .replacen(
            "timezone = \"Europe/London\"",
            &format!("timezone = \"{}\"", esc(timezone)),
            1,
        )
}

pub fn init(flag: Option<&Path>, args: &InitArgs) -> Result<ExitCode> {
    let path = config::config_path(flag).map_err(anyhow::Error::msg)?;
    if path.exists() {
        bail!(
            "{} already exists; rapport init never overwrites a config. Edit it, or pass --config NEW_PATH",
            path.display()
        );
    }
    let name = args.name.clone().unwrap_or_else(|| "Ada Lovelace".into());
    let email = args
        .email
        .clone()
        .unwrap_or_else(|| "ada@example.org".into());
    let timezone = args.timezone.clone().unwrap_or_else(guess_timezone);
    let text = config_text(&name, &email, &timezone);
    let (text, todo) = match args.provider {
        Some(p) => {
            let (text, todo) = presets::apply(p, &text);
            (text, Some(todo))
        }
        None => (text, None),
    };
    // Validate what we are about to write, so init never leaves a broken file behind.
    let loaded = config::parse(&path, &text)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("Creating {}", dir.display()))?;
    }
    write_private(&path, &text)?;
    let data_dir = loaded
        .store_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    create_private_dir(&data_dir)?;
    outln!("Wrote {} (mode 600).", path.display())?;
    outln!("Data directory: {} (mode 700).", data_dir.display())?;
    if let Some(todo) = todo {
        outln!("Filled [smtp] and [imap] for your provider.")?;
        outln!("Still to do: {todo}")?;
        outln!("Then run `rapport doctor` to check the logins.")?;
    } else if args.email.is_none() {
        outln!(
            "Next: edit [identity] (your name and address), then [smtp] and [imap] for your provider."
        )?;
    } else {
        outln!(
            "Next: edit [smtp] and [imap] for your provider, then run `rapport doctor` to check the logins."
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("Creating {}", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("Writing {}", path.display()))?;
    f.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("Writing {}", path.display()))
}

fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("Creating {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("Setting permissions on {}", dir.display()))?;
    }
    Ok(())
}

pub fn templates(flag: Option<&Path>, cmd: TemplatesCmd) -> Result<ExitCode> {
    match cmd {
        TemplatesCmd::Check => {
            let path = config::config_path(flag).map_err(anyhow::Error::msg)?;
            let cfg = config::load(&path)?;
            let templates = drafting::load_templates(&cfg.templates_dir)?;
            let sample = crate::core::render::sample_data();
            let mut bad = 0;
            for name in templates.names() {
                match templates.render(name, &sample) {
                    Ok(r) => outln!("ok     {name:<16} Subject: {}", r.subject)?,
                    Err(e) => {
                        bad += 1;
                        outln!(
                            "error  {}",
                            drafting::template_error(&cfg.templates_dir, &e)
                        )?;
                    }
                }
            }
            if bad > 0 {
                errln!(
                    "{bad} template(s) failed; fix them in {}",
                    cfg.templates_dir.display()
                );
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        TemplatesCmd::Preview {
            name,
            contact: None,
        } => {
            let path = config::config_path(flag).map_err(anyhow::Error::msg)?;
            let cfg = config::load(&path)?;
            let templates = drafting::load_templates(&cfg.templates_dir)?;
            let r = templates
                .render(&name, &crate::core::render::sample_data())
                .map_err(|e| drafting::template_error(&cfg.templates_dir, &e))?;
            errln!(
                "Note: a sample contact; `rapport templates preview {name} CONTACT` shows it for one of yours."
            );
            outln!(
                "To: Jessica Park <jessica@example.com>\nSubject: {}\n\n{}",
                r.subject,
                r.body
            )?;
            Ok(ExitCode::SUCCESS)
        }
        TemplatesCmd::Preview {
            name,
            contact: Some(contact),
        } => {
            let ctx = Ctx::open(flag)?;
            let c = ctx.one_contact(&contact)?;
            let templates = drafting::load_templates(&ctx.cfg.templates_dir)?;
            let to = c.sendable_address().unwrap_or("(no address)");
            let (data, notes) = crate::followup::preview_data(&ctx.store, &ctx.cfg, &c, &name)?;
            let r = templates
                .render(&name, &data)
                .map_err(|e| drafting::template_error(&ctx.cfg.templates_dir, &e))?;
            for n in &notes {
                errln!("Note: {n}.");
            }
            outln!(
                "To: {} <{to}>\nSubject: {}\n\n{}",
                c.display_name(),
                r.subject,
                r.body
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
