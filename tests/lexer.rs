//! Every lexical rule of execlineb, through the whole binary.

use crate::cases;
use crate::support::script;

fn words(body: &str) -> crate::support::Case {
    script(&format!("printf [%s] {body}"))
}

cases! {
    plain_words: words("a b   c\td");
    glued_quotes: words(r#"a"b c"d"#);
    empty_quoted: words(r#""" x """#);
    quoted_then_word: words(r#"""x"#);
    hash_inside_word: words("a#b #comment\n c");
    comment_only_lines: script("# a\n# b\nprintf ok\n# c");
    shebang_line: script("#!/bin/false -x\nprintf ok");
    escaped_space: words(r"a\ b \ x");
    escaped_quote_and_backslash: words(r#"\" \\ \\\\"#);
    escaped_braces_are_words: words(r"\{ \} x\}");
    quoted_braces_are_words: words(r#""{" "}" "{"x x"}""#);
    brace_inside_word: words("{a a} a{b}");
    backslash_newline_in_word: words("foo\\\nbar");
    backslash_newline_between_words: words("foo \\\nbar \\\n\\\nbaz");
    trailing_backslash_at_end: script("printf [%s] a \\");
    cr_is_whitespace: words("a\rb");
    tab_and_newlines: words("a\n\n\tb");
    c_escapes: words(r#""\a\b\t\n\v\f\r""#);
    hex_escapes: words(r#""\0x41" "\0x4g" "\0x414" "\0xAf""#);
    octal_escapes: words(r#""\0101" "\07a" "\0377" "\03777""#);
    decimal_escapes: words(r#""\101" "\1" "\19" "\199" "\255" "\2555""#);
    unknown_escape_in_quotes: words(r#""\x41" "\q" "\{""#);
    quote_newline_vanishes: words("\"a\\\nb\"");
    quoted_backslash_newline: words("\"a\\\\\nb\"");
    quoted_whitespace_kept: words("\"  a \n b \t\"");
    utf8_bytes: words("héllo \"wörld\"");
    bad_escape_zero: words(r#""\0""#);
    bad_escape_triple_zero: words(r#""\000""#);
    bad_escape_hex_empty: words(r#""\0x""#);
    bad_escape_hex_zero: words(r#""\0x00""#);
    bad_escape_decimal_too_big: words(r#""\256""#);
    bad_escape_octal_too_big: words(r#""\0400""#);
    bad_escape_octal_digit: words(r#""\09""#);
    unterminated_quote: words(r#""abc"#);
    lone_quote: words("\"");
    trailing_backslash_in_word: script("printf [%s] foo\\");
    unmatched_open: script("foreground { printf a");
    unmatched_close: script("printf a }");
    nested_unmatched: script("foreground { foreground { printf a } printf b");
    empty_script: script("");
    whitespace_script: script("  \n\t # nothing\n");
    inline_script: script("printf [%s] inline").inline();
    block_encoding_seen_by_reference_foreground: script(
        r#"foreground { printf [%s] a { b "" } "}" } printf [%s] end"#
    );
    empty_word_in_block: script(r#"foreground { printf [%s] "" x "" } printf ok"#);
    deep_nesting: script(
        "foreground { foreground { foreground { printf [%s] deep } printf [%s] two } printf [%s] one } printf [%s] top"
    );
}
