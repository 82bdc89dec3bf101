// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * seed-btf.c - not built: mkcorpus.py compiles it with -g and converts the
 * DWARF to BTF with pahole, giving fuzz-btf a small seed in which every
 * member of the Linux offsets table resolves (an anonymous union and a
 * bitfield included, as in the real kernel).
 */
struct list_head { struct list_head *next, *prev; };
struct qstr { union { struct { unsigned int hash; unsigned int len; }; unsigned long hash_len; }; const unsigned char *name; };
struct dentry { struct dentry *d_parent; struct qstr d_name; };
struct vfsmount { struct dentry *mnt_root; };
struct mount { struct mount *mnt_parent; struct dentry *mnt_mountpoint; struct vfsmount mnt; };
struct path { struct vfsmount *mnt; struct dentry *dentry; };
struct file { int f_count; struct path f_path; };
typedef struct { unsigned int val; } kuid_t;
struct cred { int usage; kuid_t uid; kuid_t gid; kuid_t suid; kuid_t euid; };
struct mm_struct { struct { void *pgd; unsigned long arg_start, arg_end, env_start, env_end; struct file *exe_file; }; };
struct thread_info { unsigned long flags; };
struct signal_struct { struct list_head thread_head; void *pids[4]; };
struct upid { int nr; void *ns; };
struct pid { unsigned int level; struct upid numbers[1]; };
struct fs_struct { struct path root, pwd; };
struct task_struct {
	struct thread_info thread_info; unsigned int flags; struct list_head tasks;
	struct mm_struct *mm; int exit_code; int pid; int tgid;
	struct task_struct *real_parent, *parent, *group_leader;
	struct list_head thread_node; unsigned long start_time;
	const struct cred *real_cred, *cred; char comm[16];
	struct fs_struct *fs; struct signal_struct *signal;
};
struct linux_binprm { unsigned long p; unsigned int have_execfd:1; struct file *file; int argc, envc; const char *filename, *interp, *fdpath; int execfd; };
struct kernel_clone_args { unsigned long flags; int exit_signal; };
struct pcpu_hot { struct task_struct *current_task; };

struct task_struct t0; struct linux_binprm b0; struct kernel_clone_args k0;
struct pcpu_hot h0; struct pid p0; struct mount m0; struct file f0;
struct fs_struct fs0; struct signal_struct s0;
