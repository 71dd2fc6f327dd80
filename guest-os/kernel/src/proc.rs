//! Processes: an Sv39 address space (root table, ASID) described by VMAs,
//! ELF loading with demand paging from the root archive, the Linux initial
//! stack, the page-fault paths of DESIGN §5, and user-memory access for
//! system calls (through the page table and the direct map, faulting pages
//! in as the hardware would: the kernel never touches user VAs directly).

use crate::arch::{self, TrapFrame};
use crate::files::Fd;
use crate::mem::{self, PAGE_SIZE, PTE_A, PTE_D, PTE_FILE, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X};
use crate::reclaim;
use crate::rootfs::{self, File};
use crate::stats;
use crate::swap;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use spin::Mutex;

/// PTE software bit (RSW): a private page shared copy-on-write.
pub const PTE_COW: u64 = 1 << 8;

/// Top of the user stack (one guard page below the end of user space).
pub const STACK_TOP: u64 = 0x40_0000_0000 - PAGE_SIZE;
/// The stack may grow down to this size.
pub const STACK_LIMIT: u64 = 8 << 20;
/// mmap areas are placed top-down from here.
pub const MMAP_TOP: u64 = STACK_TOP - STACK_LIMIT - (1 << 30);
/// Lowest address mmap hands out.
pub const MMAP_MIN: u64 = 0x1_0000;

pub const ENOENT: i64 = 2;
pub const ENOEXEC: i64 = 8;
pub const ENOMEM: i64 = 12;
pub const EFAULT: i64 = 14;
pub const EINVAL: i64 = 22;

fn page_floor(x: u64) -> u64 {
    x & !(PAGE_SIZE - 1)
}

fn page_ceil(x: u64) -> u64 {
    x.div_ceil(PAGE_SIZE) * PAGE_SIZE
}

/// What fills a page of a VMA on first touch.
#[derive(Clone)]
pub enum Backing {
    /// Zero-filled (bss, heap, stack, anonymous mmap).
    Anon,
    /// File bytes `file_off..file_off + file_len` from the VMA start, zero
    /// after (text, rodata, data + bss).
    File {
        file: File,
        file_off: u64,
        file_len: u64,
    },
    /// Shared anonymous memory (MAP_SHARED): page `pgoff + i` of `obj`.
    Shared { obj: Arc<SharedAnon>, pgoff: u64 },
}

/// The pages of a shared anonymous mapping, shared by every process that
/// maps it (each page: one reference held here, one per mapping PTE).
pub struct SharedAnon {
    pages: Mutex<Vec<u64>>,
}

impl SharedAnon {
    pub fn new(pages: u64) -> Arc<SharedAnon> {
        Arc::new(SharedAnon {
            pages: Mutex::new(alloc::vec![0; pages as usize]),
        })
    }

    /// The frame of page `i`, allocated zero-filled on first use.
    fn page(&self, i: u64) -> Option<u64> {
        let mut pages = self.pages.lock();
        let slot = pages.get_mut(i as usize)?;
        if *slot == 0 {
            *slot = mem::alloc_frame()?;
        }
        Some(*slot)
    }
}

impl Drop for SharedAnon {
    fn drop(&mut self) {
        for &pa in self.pages.lock().iter() {
            if pa != 0 {
                mem::put_frame(pa);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VmaKind {
    Text,
    Data,
    Heap,
    Stack,
    Mmap,
}

#[derive(Clone)]
pub struct Vma {
    pub start: u64,
    pub end: u64,
    /// PTE_R | PTE_W | PTE_X subset.
    pub perm: u64,
    pub kind: VmaKind,
    pub backing: Backing,
}

impl Vma {
    /// The part of `self` from `at` on (the VMA keeps start..at).
    fn split_off(&mut self, at: u64) -> Vma {
        let mut hi = self.clone();
        hi.start = at;
        if let Backing::File {
            file_off, file_len, ..
        } = &mut hi.backing
        {
            let d = at - self.start;
            *file_off += d;
            *file_len = file_len.saturating_sub(d);
        }
        if let Backing::Shared { pgoff, .. } = &mut hi.backing {
            *pgoff += (at - self.start) / PAGE_SIZE;
        }
        self.end = at;
        hi
    }
}

/// The access that faulted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Exec,
}

impl Access {
    fn perm(self) -> u64 {
        match self {
            Access::Read => PTE_R,
            Access::Write => PTE_W,
            Access::Exec => PTE_X,
        }
    }
}

/// Why a page fault could not be resolved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fault {
    /// Outside any VMA or wrong permission: SIGSEGV.
    Segv,
    /// No frame and nothing left to evict: the OOM killer.
    Oom,
}

/// Scheduling state.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    Runnable,
    /// In wait4 for a child (the ecall is re-executed when one exits).
    Waiting,
    /// In read(0) until console input arrives (the ecall is re-executed).
    Reading,
    /// In nanosleep until `time` reaches the value.
    Sleeping(u64),
    /// Exited with this wait status, not yet reaped.
    Zombie(u32),
}

pub struct Process {
    pub state: State,
    pub fds: Vec<Option<Fd>>,
    /// FP registers f0..f31 and fcsr while not on the hart.
    pub fp: [u64; 33],
    pub pid: u64,
    pub ppid: u64,
    pub name: String,
    pub root: u64,
    pub asid: u64,
    pub vmas: Vec<Vma>,
    pub brk_start: u64,
    pub brk: u64,
    pub frame: Box<TrapFrame>,
    pub minflt: u64,
    pub majflt: u64,
    /// Instructions retired in the page-fault handler (user_trap to the
    /// return), for `debug` reports.
    pub fault_instret: u64,
    /// Swap-ins (major faults from swap) and the instructions they took.
    pub swapins: u64,
    pub swapin_instret: u64,
}

/// The satp value of an address space.
pub fn satp_of(root: u64, asid: u64) -> u64 {
    (8 << 60) | (asid << 44) | (root >> 12)
}

impl Process {
    pub fn satp(&self) -> u64 {
        satp_of(self.root, self.asid)
    }

    fn vma_index(&self, va: u64) -> Option<usize> {
        self.vmas.iter().position(|v| v.start <= va && va < v.end)
    }

    fn insert_vma(&mut self, vma: Vma) {
        let i = self.vmas.partition_point(|v| v.start < vma.start);
        self.vmas.insert(i, vma);
    }

    /// Split VMAs so that `at` is a boundary.
    fn split_at(&mut self, at: u64) {
        if let Some(i) = self.vma_index(at) {
            if self.vmas[i].start != at {
                let hi = self.vmas[i].split_off(at);
                self.vmas.insert(i + 1, hi);
            }
        }
    }

    /// The page-fault paths (DESIGN §5) for a user access at `va`.
    /// Err: outside any VMA or wrong permission (SIGSEGV).
    pub fn fault(&mut self, va: u64, access: Access) -> Result<u64, Fault> {
        if va >= 0x40_0000_0000 {
            return Err(Fault::Segv);
        }
        let i = match self.vma_index(va) {
            Some(i) => i,
            None => self.grow_stack(va).ok_or(Fault::Segv)?,
        };
        let vma = &self.vmas[i];
        if vma.perm & access.perm() == 0 {
            return Err(Fault::Segv);
        }
        let page = page_floor(va);
        let pte = mem::walk(self.root, page, true).ok_or(Fault::Oom)?;
        if *pte & PTE_V != 0 && *pte & PTE_COW != 0 && access == Access::Write {
            return self.cow(page);
        }
        if *pte & PTE_V != 0 {
            // Present and allowed: a stale TLB entry or the A/D bits.
            *pte |= PTE_A | if vma.perm & PTE_W != 0 { PTE_D } else { 0 };
            arch::sfence_page(page, self.asid);
            return Ok(mem::pte_pa(*pte));
        }
        let d = if vma.perm & PTE_W != 0 { PTE_D } else { 0 };
        if let Some(slot) = swap::slot_of(*pte) {
            // Swap-in (major): the new frame is this process's alone, so
            // it gets the VMA's permissions even when other PTEs (fork)
            // still hold the slot.
            let frame = mem::alloc_frame().ok_or(Fault::Oom)?;
            if swap::read_in(slot, frame).is_err() {
                mem::put_frame(frame);
                return Err(Fault::Segv);
            }
            swap::put(slot);
            stats::inc(stats::PGFAULT);
            stats::inc(stats::PGMAJFAULT);
            stats::inc(stats::PSWPIN);
            stats::add(stats::PGPGIN, 4);
            self.majflt += 1;
            self.swapins += 1;
            *pte = ((frame >> 12) << 10) | PTE_V | PTE_U | PTE_A | d | vma.perm;
            reclaim::resident(frame, page);
            return Ok(frame);
        }
        if let Backing::Shared { obj, pgoff } = &vma.backing {
            let frame = obj
                .page(pgoff + (page - vma.start) / PAGE_SIZE)
                .ok_or(Fault::Oom)?;
            mem::get_frame(frame);
            stats::inc(stats::PGFAULT);
            self.minflt += 1;
            *pte = ((frame >> 12) << 10) | PTE_V | PTE_U | PTE_A | PTE_D | vma.perm;
            return Ok(frame);
        }
        let frame = mem::alloc_frame().ok_or(Fault::Oom)?;
        stats::inc(stats::PGFAULT);
        let mut file_page = 0;
        let mut major = false;
        if let Backing::File {
            file,
            file_off,
            file_len,
        } = &vma.backing
        {
            let rel = page - vma.start;
            if rel < *file_len {
                let n = (*file_len - rel).min(PAGE_SIZE);
                if rootfs::read_into(file, file_off + rel, frame, n).is_err() {
                    mem::put_frame(frame);
                    return Err(Fault::Segv);
                }
                // Bytes past the file's part of the page are zero (bss).
                mem::frame_mut(frame)[n as usize..].fill(0);
                stats::add(stats::PGPGIN, n.div_ceil(1024));
                major = true;
            }
            if vma.perm & PTE_W == 0 {
                // Clean for good: eviction drops it.
                file_page = PTE_FILE;
            } else if vma.kind == VmaKind::Mmap && access != Access::Write {
                // A writable private file mapping read first: the file
                // page, clean and read-only; a write copies it (COW).
                file_page = PTE_FILE | PTE_COW;
            }
        }
        if major {
            stats::inc(stats::PGMAJFAULT);
            self.majflt += 1;
        } else {
            self.minflt += 1;
        }
        let perm = if file_page & PTE_COW != 0 {
            vma.perm & !PTE_W
        } else {
            vma.perm
        };
        let d = if file_page != 0 { 0 } else { d };
        *pte = ((frame >> 12) << 10) | PTE_V | PTE_U | PTE_A | d | perm | file_page;
        reclaim::resident(frame, page);
        Ok(frame)
    }

    /// A write to a copy-on-write page: take it over when this is the last
    /// reference, copy it otherwise. Returns the (new) frame.
    fn cow(&mut self, page: u64) -> Result<u64, Fault> {
        let pte = mem::walk(self.root, page, false).expect("COW PTE");
        let old = mem::pte_pa(*pte);
        let flags = (*pte & 0x3ff & !(PTE_COW | PTE_FILE)) | PTE_W | PTE_D | PTE_A;
        let frame = if mem::refcount(old) == 1 {
            old
        } else {
            // Pin `old` (an extra reference) so that reclaim, which the
            // allocation may run, does not evict it under the copy.
            mem::get_frame(old);
            let new = mem::alloc_frame();
            mem::put_frame(old);
            let new = new.ok_or(Fault::Oom)?;
            mem::copy_frame(new, old);
            mem::put_frame(old);
            reclaim::resident(new, page);
            new
        };
        stats::inc(stats::PGFAULT);
        stats::inc(stats::COW_FAULT);
        self.minflt += 1;
        // Walk again rather than keep the slot across the allocation.
        let pte = mem::walk(self.root, page, false).expect("COW PTE");
        *pte = ((frame >> 12) << 10) | flags;
        arch::sfence_page(page, self.asid);
        Ok(frame)
    }

    /// fork: a copy of this process sharing every private page
    /// copy-on-write and every shared page as it is. The page-table copy
    /// costs in proportion to the mapped pages.
    pub fn fork(&mut self, pid: u64) -> Result<Process, i64> {
        let root = mem::new_root().ok_or(ENOMEM)?;
        let mut child = Process {
            state: State::Runnable,
            fds: self.fds.clone(),
            fp: self.fp,
            pid,
            ppid: self.pid,
            name: self.name.clone(),
            root,
            asid: pid & 0xffff,
            vmas: self.vmas.clone(),
            brk_start: self.brk_start,
            brk: self.brk,
            frame: Box::new(*self.frame),
            minflt: 0,
            majflt: 0,
            fault_instret: 0,
            swapins: 0,
            swapin_instret: 0,
        };
        // Registered first: reclaim during the copy (allocating tables)
        // must see the child's PTEs, or the shared frames look pinned.
        reclaim::register(root, child.asid);
        let vmas = &self.vmas;
        let mut cursor = 0;
        let ok = mem::copy_user_tables(self.root, root, PTE_COW, |va| {
            while cursor < vmas.len() && vmas[cursor].end <= va {
                cursor += 1;
            }
            cursor < vmas.len()
                && vmas[cursor].start <= va
                && matches!(vmas[cursor].backing, Backing::Shared { .. })
        });
        let failed = !ok || (crate::eager_fork() && !self.copy_eagerly(&child));
        arch::sfence_asid(self.asid);
        if failed {
            child.release();
            return Err(ENOMEM);
        }
        stats::inc(stats::FORKS);
        Ok(child)
    }

    /// `fork=eager`: give `child` its own copy of every private resident
    /// page that the page-table copy just shared, and give this process
    /// back write access where it is again the only user. False when out
    /// of memory.
    fn copy_eagerly(&mut self, child: &Process) -> bool {
        for vma in &self.vmas {
            if matches!(vma.backing, Backing::Shared { .. }) {
                continue;
            }
            let mut va = vma.start;
            while va < vma.end {
                let page = va;
                va += PAGE_SIZE;
                let Some(cpte) = mem::walk(child.root, page, false) else {
                    continue;
                };
                if *cpte & PTE_V == 0 {
                    continue;
                }
                let old = mem::pte_pa(*cpte);
                // Pinned across the allocation (reclaim may run).
                mem::get_frame(old);
                let new = mem::alloc_frame();
                let Some(new) = new else {
                    mem::put_frame(old);
                    return false;
                };
                mem::copy_frame(new, old);
                mem::put_frame(old);
                let cpte = mem::walk(child.root, page, false).expect("child PTE");
                let cow = *cpte & PTE_COW != 0;
                let mut flags = *cpte & 0x3ff & !PTE_COW;
                if cow {
                    flags |= PTE_W;
                }
                if mem::pte_pa(*cpte) != old {
                    // Evicted while allocating: nothing to replace.
                    mem::put_frame(new);
                    continue;
                }
                *cpte = ((new >> 12) << 10) | flags;
                mem::put_frame(old);
                reclaim::resident(new, page);
                if cow && mem::refcount(old) == 1 {
                    if let Some(ppte) = mem::walk(self.root, page, false) {
                        if *ppte & PTE_V != 0 && mem::pte_pa(*ppte) == old {
                            *ppte = (*ppte & !PTE_COW) | PTE_W;
                        }
                    }
                }
            }
        }
        true
    }

    /// Resident pages: (anonymous, file-backed).
    pub fn rss(&self) -> (u64, u64) {
        let (mut anon, mut file) = (0, 0);
        let vmas = &self.vmas;
        let mut cursor = 0;
        mem::for_each_leaf(self.root, false, |va, _| {
            while cursor < vmas.len() && vmas[cursor].end <= va {
                cursor += 1;
            }
            match vmas.get(cursor).map(|v| &v.backing) {
                Some(Backing::File { .. }) => file += 1,
                _ => anon += 1,
            }
        });
        (anon, file)
    }

    /// Pages in swap (VmSwap).
    pub fn swapped(&self) -> u64 {
        let mut n = 0;
        mem::for_each_leaf(self.root, true, |_, pte| {
            if *pte & PTE_V == 0 {
                n += 1;
            }
        });
        n
    }

    /// VmSize in bytes.
    pub fn vm_size(&self) -> u64 {
        self.vmas.iter().map(|v| v.end - v.start).sum()
    }

    /// A fault below the stack VMA, within its limit: grow it down.
    fn grow_stack(&mut self, va: u64) -> Option<usize> {
        let i = self.vmas.iter().position(|v| v.kind == VmaKind::Stack)?;
        let s = &self.vmas[i];
        if va >= s.start || va < STACK_TOP - STACK_LIMIT {
            return None;
        }
        let new_start = page_floor(va);
        if i > 0 && self.vmas[i - 1].end > new_start {
            return None;
        }
        self.vmas[i].start = new_start;
        Some(i)
    }

    /// The physical address of user `va` for `access`, faulting it in.
    pub fn user_pa(&mut self, va: u64, access: Access) -> Result<u64, i64> {
        let i = self.vma_index(va);
        if let Some(i) = i {
            if self.vmas[i].perm & access.perm() == 0 {
                return Err(EFAULT);
            }
            if let Some(pte) = mem::walk(self.root, page_floor(va), false) {
                // A write to a read-only (COW) PTE takes the fault path.
                if *pte & PTE_V != 0 && (access != Access::Write || *pte & PTE_W != 0) {
                    return Ok(mem::pte_pa(*pte) + (va & (PAGE_SIZE - 1)));
                }
            }
        }
        let pa = self.fault(va, access).map_err(|e| match e {
            Fault::Segv => EFAULT,
            Fault::Oom => ENOMEM,
        })?;
        Ok(pa + (va & (PAGE_SIZE - 1)))
    }

    /// Copy `data` to user memory at `va`.
    pub fn copy_out(&mut self, mut va: u64, data: &[u8]) -> Result<(), i64> {
        let mut done = 0;
        while done < data.len() {
            let pa = self.user_pa(va, Access::Write)?;
            let off = (pa & (PAGE_SIZE - 1)) as usize;
            let n = (PAGE_SIZE as usize - off).min(data.len() - done);
            mem::frame_mut(page_floor(pa))[off..off + n].copy_from_slice(&data[done..done + n]);
            done += n;
            va += n as u64;
        }
        Ok(())
    }

    /// Copy `len` bytes of user memory at `va`, page by page into `f`.
    pub fn copy_in_with(
        &mut self,
        mut va: u64,
        len: usize,
        mut f: impl FnMut(&[u8]),
    ) -> Result<(), i64> {
        let mut done = 0;
        while done < len {
            let pa = self.user_pa(va, Access::Read)?;
            let off = (pa & (PAGE_SIZE - 1)) as usize;
            let n = (PAGE_SIZE as usize - off).min(len - done);
            f(&mem::frame_mut(page_floor(pa))[off..off + n]);
            done += n;
            va += n as u64;
        }
        Ok(())
    }

    /// Unmap the pages of `start..end` (page-aligned) that are present.
    fn unmap_pages(&mut self, start: u64, end: u64) {
        let mut va = start;
        while va < end {
            if let Some(pte) = mem::walk(self.root, va, false) {
                if *pte & PTE_V != 0 {
                    let pa = mem::pte_pa(*pte);
                    *pte = 0;
                    mem::put_frame(pa);
                    arch::sfence_page(va, self.asid);
                } else if let Some(slot) = swap::slot_of(*pte) {
                    *pte = 0;
                    swap::put(slot);
                }
            }
            va += PAGE_SIZE;
        }
    }

    /// munmap: remove `start..end` from the address space.
    pub fn unmap(&mut self, start: u64, end: u64) {
        self.split_at(start);
        self.split_at(end);
        self.vmas.retain(|v| v.end <= start || v.start >= end);
        self.unmap_pages(start, end);
    }

    /// mprotect.
    pub fn protect(&mut self, start: u64, end: u64, perm: u64) -> Result<(), i64> {
        // Linux: ENOMEM if part of the range is unmapped.
        let mut va = start;
        while va < end {
            let i = self.vma_index(va).ok_or(ENOMEM)?;
            va = self.vmas[i].end;
        }
        self.split_at(start);
        self.split_at(end);
        for v in self.vmas.iter_mut() {
            if v.start >= start && v.end <= end {
                v.perm = perm;
            }
        }
        let mut va = start;
        while va < end {
            if let Some(pte) = mem::walk(self.root, va, false) {
                if *pte & PTE_V != 0 {
                    let mut keep = *pte & !(PTE_R | PTE_W | PTE_X);
                    if perm & PTE_W != 0 && keep & PTE_COW == 0 {
                        keep &= !PTE_FILE; // may be written: no longer clean
                    }
                    // PROT_NONE keeps the page as a leaf without U, so a
                    // user access faults (and the VMA says SIGSEGV).
                    *pte = if perm == 0 {
                        (keep & !PTE_U) | PTE_R
                    } else if keep & PTE_COW != 0 {
                        keep | (perm & !PTE_W) | PTE_U
                    } else {
                        keep | perm | PTE_U
                    };
                    arch::sfence_page(va, self.asid);
                }
            }
            va += PAGE_SIZE;
        }
        Ok(())
    }

    /// mmap of anonymous memory: the address of a new VMA of `len` bytes.
    pub fn mmap_anon(
        &mut self,
        addr: u64,
        len: u64,
        perm: u64,
        fixed: bool,
        shared: bool,
    ) -> Result<u64, i64> {
        let len = page_ceil(len);
        let start = self.mmap_place(addr, len, fixed)?;
        self.insert_vma(Vma {
            start,
            end: start + len,
            perm,
            kind: VmaKind::Mmap,
            backing: if shared {
                Backing::Shared {
                    obj: SharedAnon::new(len / PAGE_SIZE),
                    pgoff: 0,
                }
            } else {
                Backing::Anon
            },
        });
        Ok(start)
    }

    /// mmap of an archive file, MAP_PRIVATE, from `offset` (page-aligned):
    /// pages are read on first touch (major faults) and written privately
    /// (copy-on-write from the file page); past the end of the file they
    /// are zero.
    pub fn mmap_file(
        &mut self,
        addr: u64,
        len: u64,
        perm: u64,
        fixed: bool,
        file: File,
        offset: u64,
    ) -> Result<u64, i64> {
        if !offset.is_multiple_of(PAGE_SIZE) {
            return Err(EINVAL);
        }
        let len = page_ceil(len);
        let start = self.mmap_place(addr, len, fixed)?;
        let file_len = file.size.saturating_sub(offset);
        self.insert_vma(Vma {
            start,
            end: start + len,
            perm,
            kind: VmaKind::Mmap,
            backing: Backing::File {
                file,
                file_off: offset,
                file_len,
            },
        });
        Ok(start)
    }

    /// Where a new mapping of `len` bytes (page multiple) goes: `addr`
    /// (MAP_FIXED, replacing what was there) or first fit top-down.
    fn mmap_place(&mut self, addr: u64, len: u64, fixed: bool) -> Result<u64, i64> {
        if len == 0 || len > MMAP_TOP {
            return Err(EINVAL);
        }
        let start = if fixed {
            if !addr.is_multiple_of(PAGE_SIZE) || addr + len > STACK_TOP {
                return Err(EINVAL);
            }
            self.unmap(addr, addr + len);
            addr
        } else {
            let mut end = MMAP_TOP;
            loop {
                if end < MMAP_MIN + len {
                    return Err(ENOMEM);
                }
                let start = end - len;
                match self
                    .vmas
                    .iter()
                    .filter(|v| v.start < end && v.end > start)
                    .map(|v| v.start)
                    .min()
                {
                    None => break start,
                    Some(s) => end = page_floor(s),
                }
            }
        };
        Ok(start)
    }

    /// brk: Linux semantics (the new break, or the old one on failure).
    pub fn set_brk(&mut self, new: u64) -> u64 {
        if new < self.brk_start {
            return self.brk;
        }
        let old_end = page_ceil(self.brk);
        let new_end = page_ceil(new);
        let hi = self.vmas.iter().position(|v| v.kind == VmaKind::Heap);
        if new_end > old_end {
            let clash = self
                .vmas
                .iter()
                .any(|v| v.kind != VmaKind::Heap && v.start < new_end && old_end < v.end);
            if clash || new_end > MMAP_TOP {
                return self.brk;
            }
            match hi {
                Some(i) => self.vmas[i].end = new_end,
                None => self.insert_vma(Vma {
                    start: self.brk_start,
                    end: new_end,
                    perm: PTE_R | PTE_W,
                    kind: VmaKind::Heap,
                    backing: Backing::Anon,
                }),
            }
        } else if new_end < old_end {
            self.unmap_pages(new_end, old_end);
            if let Some(i) = hi {
                if new_end <= self.vmas[i].start {
                    self.vmas.remove(i);
                } else {
                    self.vmas[i].end = new_end;
                }
            }
        }
        self.brk = new;
        self.brk
    }

    /// Free the address space.
    pub fn release(&mut self) {
        if self.root == 0 {
            return;
        }
        reclaim::unregister(self.root);
        mem::free_user_tables(self.root);
        arch::sfence_asid(self.asid);
        self.vmas.clear();
        self.root = 0;
    }
}

fn rd16(b: &[u8], o: usize) -> u64 {
    u16::from_le_bytes([b[o], b[o + 1]]) as u64
}
fn rd32(b: &[u8], o: usize) -> u64 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap()) as u64
}
fn rd64(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap())
}

/// What `exec` learned from the ELF headers.
struct Elf {
    entry: u64,
    phdr: u64,
    phnum: u64,
    vmas: Vec<Vma>,
    end: u64,
}

fn parse_elf(file: &File, head: &[u8]) -> Result<Elf, i64> {
    if head.len() < 64
        || &head[0..4] != b"\x7fELF"
        || head[4] != 2
        || head[5] != 1
        || rd16(head, 18) != 243
        || rd16(head, 16) != 2
    {
        return Err(ENOEXEC);
    }
    let entry = rd64(head, 24);
    let phoff = rd64(head, 32) as usize;
    let phentsize = rd16(head, 54) as usize;
    let phnum = rd16(head, 56) as usize;
    if phentsize != 56 || phoff + phnum * 56 > head.len() {
        return Err(ENOEXEC);
    }
    let mut vmas: Vec<Vma> = Vec::new();
    let mut phdr = 0;
    let mut end = 0;
    for i in 0..phnum {
        let p = &head[phoff + i * 56..phoff + (i + 1) * 56];
        if rd32(p, 0) != 1 {
            continue;
        }
        let flags = rd32(p, 4);
        let (off, vaddr, filesz, memsz) = (rd64(p, 8), rd64(p, 16), rd64(p, 32), rd64(p, 40));
        if memsz == 0 {
            continue;
        }
        if vaddr % PAGE_SIZE != off % PAGE_SIZE
            || filesz > memsz
            || off + filesz > file.size
            || vaddr + memsz > MMAP_MIN.max(MMAP_TOP)
            || vaddr < MMAP_MIN
        {
            return Err(ENOEXEC);
        }
        let start = page_floor(vaddr);
        let lead = vaddr - start;
        let mut perm = 0;
        if flags & 4 != 0 {
            perm |= PTE_R;
        }
        if flags & 2 != 0 {
            perm |= PTE_W;
        }
        if flags & 1 != 0 {
            perm |= PTE_X;
        }
        if (off..off + filesz).contains(&(phoff as u64)) {
            phdr = vaddr + phoff as u64 - off;
        }
        let vma = Vma {
            start,
            end: page_ceil(vaddr + memsz),
            perm,
            kind: if flags & 2 != 0 {
                VmaKind::Data
            } else {
                VmaKind::Text
            },
            backing: Backing::File {
                file: file.clone(),
                file_off: off - lead,
                file_len: filesz + lead,
            },
        };
        if vmas.iter().any(|v| v.start < vma.end && vma.start < v.end) {
            return Err(ENOEXEC);
        }
        end = end.max(vma.end);
        vmas.push(vma);
    }
    if vmas.is_empty() {
        return Err(ENOEXEC);
    }
    vmas.sort_by_key(|v| v.start);
    Ok(Elf {
        entry,
        phdr,
        phnum: phnum as u64,
        vmas,
        end,
    })
}

/// Build a process running `path` with `argv`: its address space (nothing
/// mapped yet but the initial stack), registers and VMAs.
pub fn exec(
    pid: u64,
    ppid: u64,
    path: &str,
    argv: &[String],
    envp: &[String],
) -> Result<Process, i64> {
    let file = rootfs::lookup(path).ok_or(ENOENT)?;
    let head_len = file.size.min(PAGE_SIZE);
    let scratch = mem::alloc_frame().ok_or(ENOMEM)?;
    let read = rootfs::read_into(&file, 0, scratch, head_len);
    let head = mem::frame_mut(scratch)[..head_len as usize].to_vec();
    mem::put_frame(scratch);
    read.map_err(|_| ENOEXEC)?;
    let elf = parse_elf(&file, &head)?;
    let aux = elf_aux(&elf);
    let root = mem::new_root().ok_or(ENOMEM)?;
    reclaim::register(root, pid & 0xffff);
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut p = Process {
        state: State::Runnable,
        fds: crate::files::std_fds(),
        fp: [0; 33],
        pid,
        ppid,
        name: name.chars().take(15).collect(),
        root,
        asid: pid & 0xffff,
        vmas: elf.vmas,
        brk_start: elf.end,
        brk: elf.end,
        frame: Box::new(TrapFrame::zero()),
        minflt: 0,
        majflt: 0,
        fault_instret: 0,
        swapins: 0,
        swapin_instret: 0,
    };
    p.insert_vma(Vma {
        start: STACK_TOP - PAGE_SIZE,
        end: STACK_TOP,
        perm: PTE_R | PTE_W,
        kind: VmaKind::Stack,
        backing: Backing::Anon,
    });
    let sp = match initial_stack(&mut p, argv, envp, &aux) {
        Ok(sp) => sp,
        Err(e) => {
            p.release();
            return Err(e);
        }
    };
    p.frame.regs[2] = sp;
    p.frame.pc = elf.entry;
    p.frame.kernel_sp = arch::kernel_stack_top();
    Ok(p)
}

fn elf_aux(elf: &Elf) -> [(u64, u64); 5] {
    [
        (3, elf.phdr),  // AT_PHDR
        (4, 56),        // AT_PHENT
        (5, elf.phnum), // AT_PHNUM
        (6, PAGE_SIZE), // AT_PAGESZ
        (9, elf.entry), // AT_ENTRY
    ]
}

/// Lay out argc, argv, envp (empty) and auxv on the stack (Linux order);
/// returns the initial sp.
fn initial_stack(
    p: &mut Process,
    argv: &[String],
    envp: &[String],
    aux: &[(u64, u64)],
) -> Result<u64, i64> {
    let mut sp = STACK_TOP;
    let mut ptrs = Vec::new();
    for a in argv.iter().chain(envp) {
        sp -= a.len() as u64 + 1;
        let mut bytes = Vec::from(a.as_bytes());
        bytes.push(0);
        p.copy_out(sp, &bytes)?;
        ptrs.push(sp);
    }
    // AT_RANDOM: 16 bytes from the (virtual) time.
    sp = (sp - 16) & !15;
    let t = arch::time();
    let mut random = [0u8; 16];
    random[..8].copy_from_slice(&(t ^ 0x9E37_79B9_7F4A_7C15).to_le_bytes());
    random[8..]
        .copy_from_slice(&(t.rotate_left(17).wrapping_mul(0x2545_F491_4F6C_DD1D)).to_le_bytes());
    p.copy_out(sp, &random)?;
    let at_random = sp;
    let mut words: Vec<u64> = Vec::new();
    words.push(argv.len() as u64);
    words.extend(&ptrs[..argv.len()]);
    words.push(0); // argv NULL
    words.extend(&ptrs[argv.len()..]);
    words.push(0); // envp NULL
    for &(k, v) in aux {
        words.push(k);
        words.push(v);
    }
    words.extend([25, at_random, 0, 0]); // AT_RANDOM, AT_NULL
    if sp - (words.len() as u64 * 8) < STACK_TOP - STACK_LIMIT / 2 {
        return Err(EINVAL);
    }
    sp = (sp - words.len() as u64 * 8) & !15;
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    p.copy_out(sp, &bytes)?;
    Ok(sp)
}
