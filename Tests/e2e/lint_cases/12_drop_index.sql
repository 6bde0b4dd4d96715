SET lock_timeout = '2s';
DROP INDEX users_email_idx;
