//! The user and group databases, read straight from `/etc/passwd` and
//! `/etc/group`. A static binary cannot load glibc's NSS modules, and
//! container images keep their accounts in these files anyway.

use std::path::Path;

/// One `/etc/passwd` entry.
#[derive(Debug, Clone)]
pub struct User {
    pub name: Vec<u8>,
    pub uid: u32,
    pub gid: u32,
    pub home: Vec<u8>,
}

/// One `/etc/group` entry.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: Vec<u8>,
    pub gid: u32,
    pub members: Vec<Vec<u8>>,
}

fn records(path: &Path) -> std::io::Result<Vec<Vec<Vec<u8>>>> {
    let text = std::fs::read(path)?;
    Ok(text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty() && l[0] != b'#')
        .map(|l| l.split(|&b| b == b':').map(<[u8]>::to_vec).collect())
        .collect())
}

fn id(field: Option<&Vec<u8>>) -> Option<u32> {
    crate::decimal::number(field?).and_then(|n| u32::try_from(n).ok())
}

/// Every user, in file order.
pub fn users() -> std::io::Result<Vec<User>> {
    Ok(records(Path::new("/etc/passwd"))?
        .into_iter()
        .filter_map(|f| {
            Some(User {
                uid: id(f.get(2))?,
                gid: id(f.get(3))?,
                home: f.get(5).cloned().unwrap_or_default(),
                name: f.into_iter().next()?,
            })
        })
        .collect())
}

/// Looks a user up by name; `Ok(None)` when there is no such user.
pub fn user_by_name(name: &[u8]) -> std::io::Result<Option<User>> {
    Ok(users()?.into_iter().find(|u| u.name == name))
}

/// Looks a user up by uid.
pub fn user_by_uid(uid: u32) -> std::io::Result<Option<User>> {
    Ok(users()?.into_iter().find(|u| u.uid == uid))
}

/// Every group, in file order.
pub fn groups() -> std::io::Result<Vec<Group>> {
    Ok(records(Path::new("/etc/group"))?
        .into_iter()
        .filter_map(|f| {
            Some(Group {
                gid: id(f.get(2))?,
                members: f
                    .get(3)
                    .map(|m| {
                        m.split(|&b| b == b',')
                            .filter(|s| !s.is_empty())
                            .map(<[u8]>::to_vec)
                            .collect()
                    })
                    .unwrap_or_default(),
                name: f.into_iter().next()?,
            })
        })
        .collect())
}

/// Looks a group up by name.
pub fn group_by_name(name: &[u8]) -> std::io::Result<Option<Group>> {
    Ok(groups()?.into_iter().find(|g| g.name == name))
}

/// The gids of every group that lists `name` as a member, in file order
/// (the primary group counts only if it lists the user too).
pub fn supplementary(name: &[u8]) -> std::io::Result<Vec<u32>> {
    Ok(groups()?
        .into_iter()
        .filter(|g| g.members.iter().any(|m| m == name))
        .map(|g| g.gid)
        .collect())
}
