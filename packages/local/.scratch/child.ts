const t = Date.now();
const { default: S3rver } = await import('s3rver');
const { default: dynalite } = await import('dynalite');
process.stdout.write(`imports ${Date.now() - t}\n`);
