//! A progress bar on standard error for long batches: shown only when standard error is a
//! terminal, there are more than [`MIN_INPUTS`] inputs, and neither `CI` nor `XXGK_NO_PROGRESS`
//! is set. Never in pipes, files or CI logs.

use std::io::{self, IsTerminal};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Batches up to this many inputs run without a bar.
pub const MIN_INPUTS: usize = 20;

/// The bar, or nothing (every method is then a no-op).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` inputs, labelled `what` (e.g. "读取", "检查"), if it should be shown.
    pub fn new(total: usize, what: &'static str) -> Progress {
        Progress::with(wanted(total, io::stderr().is_terminal()), total, what)
    }

    /// No bar.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    fn with(show: bool, total: usize, what: &'static str) -> Progress {
        if !show {
            return Progress::hidden();
        }
        let style = ProgressStyle::with_template(
            "{prefix} [{wide_bar}] {pos}/{len} 份 已用 {elapsed} 剩余 {eta}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        )
        .with_style(style)
        .with_prefix(what);
        Progress { bar: Some(bar) }
    }

    /// One more input done (callable from any thread).
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Run `f` (which writes to the terminal) with the bar cleared, then redraw it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// The end: the bar is drawn full (every input counted: 100%) and stays on the terminal,
    /// instead of vanishing before its last state was shown.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            if !bar.is_finished() {
                bar.finish();
            }
        }
    }

    /// Position and length of the bar.
    #[cfg(test)]
    pub fn state(&self) -> Option<(u64, Option<u64>, bool)> {
        self.bar
            .as_ref()
            .map(|b| (b.position(), b.length(), b.is_finished()))
    }

    /// Whether a bar is shown.
    #[cfg(test)]
    pub fn is_shown(&self) -> bool {
        self.bar.is_some()
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Whether to show a bar for `total` inputs when standard error is (or is not) a terminal.
fn wanted(total: usize, stderr_is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    total > MIN_INPUTS && stderr_is_terminal && !set("CI") && !set("XXGK_NO_PROGRESS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_batches_on_a_terminal_get_a_bar() {
        // CI may be set where the tests run: then no bar at all, which is also what we want.
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0")
            || std::env::var_os("XXGK_NO_PROGRESS").is_some_and(|v| !v.is_empty() && v != "0");
        assert!(!wanted(MIN_INPUTS, true));
        assert!(!wanted(5000, false));
        assert_eq!(wanted(MIN_INPUTS + 1, true), !ci);
        assert!(!Progress::with(false, 100, "检查").is_shown());
        // A bar counts every input and ends full, drawn (not cleared).
        let bar = Progress::with(true, 3, "检查");
        for _ in 0..3 {
            bar.inc();
        }
        bar.finish();
        assert_eq!(bar.state(), Some((3, Some(3), true)));
        let p = Progress::hidden();
        p.inc();
        assert_eq!(p.suspend(|| 7), 7);
    }
}
