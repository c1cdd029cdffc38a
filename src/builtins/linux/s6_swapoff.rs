//! `s6-swapoff device` / `s6-swapoff -a`: disable swapping on a device, or
//! on every `swap` entry of /etc/fstab.

use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-swapoff [ -a ] [ device ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    super::s6_swapon::switch(&argv, false)
}
