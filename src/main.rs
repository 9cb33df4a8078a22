//! The `binder` command line: parse arguments, call the library, print diagnostics, pick the
//! exit code (0 ok, 1 build failed, 2 usage or config error, 70 a bug in binder). Nothing
//! else lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;

use binder::BuildOptions;

/// mimalloc instead of the system allocator: a build allocates many short-lived strings on
/// several threads, where glibc's per-thread arenas fragment (measured in bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use binder::diag::{BuildFailed, Diagnostic, Origin, exit_code};

/// binder turns a folder of Markdown coaching articles into a cross-linked static site.
#[derive(Parser)]
#[command(name = "binder", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Site root: the folder holding site.toml (default: the current folder).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (atomically: a failed build changes nothing).
    Build(BuildArgs),
    /// Check the whole build without writing and report the handbook's health; exit 1 on any error.
    Check(CheckArgs),
    /// Build, serve on 127.0.0.1 with live reload, and rebuild on every change.
    Serve(ServeArgs),
    /// Scaffold a new handbook in DIR (default: the current folder); never overwrites files.
    Init {
        /// Folder to create the handbook in.
        dir: Option<PathBuf>,
    },
    /// Copy a handbook written for Hugo, Jekyll, Docusaurus, mdBook or Obsidian into a new
    /// binder site (the source is only read) and print a migration report.
    Import {
        /// Folder of the existing handbook.
        source: PathBuf,
        /// New folder for the binder site (default: SOURCE-binder).
        dest: Option<PathBuf>,
    },
    /// Create a new article in SECTION with front matter and print its path.
    New {
        /// Section folder under content/ (e.g. `tips`).
        section: String,
        /// Article title (the file name is its slug).
        title: String,
    },
}

#[derive(Args, Clone)]
struct CommonArgs {
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Override base_url from site.toml (e.g. https://example.org/handbook/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// List every broken-link and missing-alt-text warning on its own (by default they are
    /// grouped by cause).
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: output_dir from site.toml, normally `public/`).
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Print the time spent in each stage.
    #[arg(long)]
    timings: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Report format: `human` (grouped, counted), `json`, `github` (CI annotations) or `html`
    /// (a standalone page: `binder check --format html > health.html`).
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    /// Judge staleness as of this date (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Human,
    Json,
    Github,
    Html,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Port to listen on; if taken, the next free one is used.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Address to bind (anything but loopback prints a warning).
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Watch content, templates, static files, the theme and site.toml, and rebuild (default).
    #[arg(long, overrides_with = "no_watch")]
    watch: bool,
    /// Do not watch for changes.
    #[arg(long)]
    no_watch: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Judge staleness (the `/_health/` page, the notices on stale articles) as of this date
    /// (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // `init` and `new` fail on usage (a file in the way, an unknown section): exit 2.
    let usage_command = matches!(cli.command, Command::Init { .. } | Command::New { .. });
    let writes = matches!(cli.command, Command::Build(_));
    match catch_bugs(|| run(cli.command, root, color)) {
        Ok(code) => code,
        Err(mut failed) => {
            if usage_command {
                for d in &mut failed.diagnostics {
                    d.origin = Origin::Usage;
                }
            }
            print_diagnostics(&failed.diagnostics, color);
            let n = failed.errors().count();
            let s = if n == 1 { "" } else { "s" };
            if writes {
                eprintln!("binder: {n} error{s} found; the output folder was not changed");
            } else {
                eprintln!("binder: {n} error{s} found");
            }
            ExitCode::from(exit_code(failed.errors()))
        }
    }
}

/// Runs `f`, turning a panic anywhere in binder (rayon re-raises worker panics here) into one
/// error report with exit code 70 instead of a backtrace: a panic is always a bug in binder,
/// never the author's fault, and the message says so.
fn catch_bugs(f: impl FnOnce() -> Result<ExitCode, BuildFailed>) -> Result<ExitCode, BuildFailed> {
    let verbose = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    let location = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = std::sync::Arc::clone(&location);
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut l) = seen.lock() {
            l.get_or_insert_with(|| {
                info.location()
                    .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()))
            });
        }
        if verbose {
            eprintln!("{info}\n{}", std::backtrace::Backtrace::force_capture());
        }
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let at = location
                .lock()
                .ok()
                .and_then(|l| l.clone())
                .unwrap_or_default();
            Err(BuildFailed::one(
                Diagnostic::error("", format!("binder hit a bug: {what}{at}"))
                    .with_origin(Origin::Bug)
                    .with_hint(format!(
                        "please report it with the command you ran and, if you can, the file \
                         that triggers it (binder {}); the output folder was not changed",
                        env!("CARGO_PKG_VERSION")
                    )),
            ))
        }
    }
}

fn options(root: PathBuf, common: &CommonArgs, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root,
        output,
        drafts: common.drafts,
        base_url: common.base_url.clone(),
        verbose: common.verbose,
    }
}

fn run(command: Command, root: PathBuf, color: bool) -> Result<ExitCode, BuildFailed> {
    match command {
        Command::Build(args) => {
            let opts = options(root, &args.common, args.output);
            let report = binder::build::build(&opts, true)?;
            print_diagnostics(&report.warnings, color);
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            let out = report
                .output
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            eprintln!(
                "built {} ({}) into {out}",
                count(report.pages, "article", "articles"),
                count(report.files, "file", "files")
            );
            if args.timings {
                for (stage, d) in &report.timings.stages {
                    eprintln!("  {stage:<14} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => {
            let opts = options(root, &args.common, None);
            let today = args.today.unwrap_or_else(|| jiff::Zoned::now().date());
            let report = binder::health::check(&opts, today)?;
            let format = match args.format {
                ReportFormat::Human => binder::health::Format::Human,
                ReportFormat::Json => binder::health::Format::Json,
                ReportFormat::Github => binder::health::Format::Github,
                ReportFormat::Html => binder::health::Format::Html,
            };
            let text = binder::health::format::render(&report, format);
            if format == binder::health::Format::Human {
                // People read it beside build diagnostics, on stderr (it ends with the
                // totals); tools and `> health.html` take stdout.
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            Ok(if report.failed() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Serve(args) => {
            let opts = binder::serve::ServeOptions {
                build: options(root, &args.common, None),
                port: args.port,
                bind: args.bind,
                watch: !args.no_watch,
                open: args.open,
                today: args.today,
            };
            binder::serve::run(opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let dir = dir.unwrap_or(root);
            let created = binder::scaffold::init(&dir)?;
            for f in &created {
                println!("created {}", f.display());
            }
            eprintln!(
                "new handbook in {}: run `binder --root {} serve` to see it",
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { source, dest } => import(&source, dest),
        Command::New { section, title } => {
            let path = binder::scaffold::new_article(&root, &section, &title)?;
            println!("{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `1 article`, `2 articles`: a count with its noun in the right number.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn print_diagnostics(diags: &[Diagnostic], color: bool) {
    for d in diags {
        eprint!("{}", binder::diag::render(d, color));
    }
}

/// `binder import`: copy, then check the new site and report what an author should fix.
fn import(source: &std::path::Path, dest: Option<PathBuf>) -> Result<ExitCode, BuildFailed> {
    let dest = dest.unwrap_or_else(|| {
        let name = source
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "handbook".into());
        PathBuf::from(format!("{name}-binder"))
    });
    let done = binder::import::import(source, &dest)?;
    eprintln!(
        "imported {} ({}, {}) from {} into {}",
        done.generator,
        count(done.pages, "page", "pages"),
        count(done.assets, "other file", "other files"),
        source.display(),
        dest.display()
    );
    for line in &done.summary {
        eprintln!("  - {line}");
    }
    let opts = binder::BuildOptions {
        root: dest.clone(),
        ..Default::default()
    };
    // The report lists every warning, grouped, with what to do: no wall of them here.
    let report = binder::build::build(&opts, false)?;
    let check_out = if report.pages == 1 { "checks" } else { "check" };
    eprintln!(
        "{} {check_out} out with {} to review (see {}); build it with `binder --root {} build`",
        count(report.pages, "article", "articles"),
        count(report.warnings.len(), "warning", "warnings"),
        dest.join("MIGRATION.md").display(),
        dest.display()
    );
    Ok(ExitCode::SUCCESS)
}
