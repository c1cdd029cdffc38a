//! `chainit help [NAME]`: chainit's own help, a subcommand's, or a built-in
//! command's reference page (docs/commands/NAME.md, embedded at build time).

mod pages {
    include!(concat!(env!("OUT_DIR"), "/pages.rs"));
}

/// Commands documented on another command's page.
const SHARED: &[(&str, &str)] = &[
    ("execline-cd", "cd"),
    ("execline-umask", "umask"),
    ("poweroff", "halt"),
    ("reboot", "halt"),
    ("s6-svdt-clear", "s6-svdt"),
];

/// The reference page of the built-in command `name`.
pub fn page(name: &str) -> Option<String> {
    let name = SHARED
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, page)| page);
    let i = pages::PAGES
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()?;
    let text = miniz_oxide::inflate::decompress_to_vec(pages::PAGES[i].1).ok()?;
    Some(String::from_utf8_lossy(&text).into_owned())
}

/// The built-in commands, wrapped for `chainit --help`.
pub fn builtin_list() -> String {
    let mut out = String::from(
        "Built-in commands (run as `chainit NAME ARGS...` or through a link named \
         after it, see `chainit install`; `chainit help NAME` shows a page):\n",
    );
    let mut line = String::from(" ");
    for b in crate::chain::registry::all() {
        if line.len() + 1 + b.name.len() > 78 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(b.name);
    }
    out.push_str(&line);
    out
}

/// Prints help for `name` (none: chainit's own); 100 for an unknown name.
pub fn run(name: Option<&str>, mut cli: clap::Command) -> i32 {
    let Some(name) = name else {
        let _ = cli.print_long_help();
        return 0;
    };
    // A built-in's page comes first: `chainit wait --help` still shows the
    // subcommand of the same name.
    if let Some(text) = page(name) {
        print!("{text}");
        return 0;
    }
    // Built first, so that the page says `chainit init`, not `init`.
    cli.build();
    if let Some(sub) = cli.find_subcommand_mut(name) {
        let _ = sub.print_long_help();
        return 0;
    }
    eprintln!("chainit help: fatal: no command {name}: `chainit commands` lists the built-in ones");
    crate::exit::USAGE
}
