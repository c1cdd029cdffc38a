//! Where the logger's input waits until its lines are logged: the spool
//! when there is a logdir to keep it in (nothing lost to a KILL), else
//! memory (lines only go to stdout, stderr and status files).

use std::io::Result;

use super::spool::{Mark, Spool};

pub enum Input {
    Memory(Vec<u8>),
    Spool(Spool),
}

impl Input {
    /// Takes what stdin has, blocking until something is there; 0 at the
    /// end of input. A stopping logger with only memory reads a byte at a
    /// time, so what follows the line it finishes stays in the pipe.
    pub fn fill(&mut self, stopping: bool) -> Result<usize> {
        match self {
            Input::Spool(s) => s.fill(),
            Input::Memory(buf) => {
                let mut chunk = [0u8; 65536];
                let want = if stopping { 1 } else { chunk.len() };
                loop {
                    // SAFETY: reads into our own buffer, at most its size.
                    let n = unsafe { libc::read(0, chunk.as_mut_ptr().cast(), want) };
                    if n >= 0 {
                        buf.extend_from_slice(&chunk[..n as usize]);
                        return Ok(n as usize);
                    }
                    let e = std::io::Error::last_os_error();
                    if e.kind() != std::io::ErrorKind::Interrupted {
                        return Err(e);
                    }
                }
            }
        }
    }

    /// Everything taken and not yet logged.
    pub fn unlogged(&self) -> Vec<u8> {
        match self {
            Input::Spool(s) => s.unlogged(),
            Input::Memory(buf) => buf.clone(),
        }
    }

    /// See `Spool::begin`.
    pub fn begin(&mut self, end: u64, marks: &[Mark]) -> Result<()> {
        match self {
            Input::Spool(s) => s.begin(end, marks),
            Input::Memory(_) => Ok(()),
        }
    }

    /// The first `upto` unlogged bytes are logged.
    pub fn commit(&mut self, upto: u64) -> Result<()> {
        match self {
            Input::Spool(s) => s.commit(upto),
            Input::Memory(buf) => {
                buf.drain(..(upto as usize).min(buf.len()));
                Ok(())
            }
        }
    }

    /// The end of input: an unfinished last line is dropped.
    pub fn clear(&mut self) -> Result<()> {
        match self {
            Input::Spool(s) => s.clear(),
            Input::Memory(buf) => {
                buf.clear();
                Ok(())
            }
        }
    }

    /// The logger is done: see `Spool::finish`.
    pub fn finish(&self) -> Result<()> {
        match self {
            Input::Spool(s) => s.finish(),
            Input::Memory(_) => Ok(()),
        }
    }

    /// Told to stop, the logger may go once its complete lines are
    /// logged: an unfinished one waits in the spool for the next logger,
    /// while memory must finish reading it first.
    pub fn may_stop(&self) -> bool {
        match self {
            Input::Spool(_) => true,
            Input::Memory(buf) => buf.is_empty(),
        }
    }
}
