const express = require('express');

const router = express.Router();

router.get('/stats', stats);
router.post('/reindex/:index([a-z]+)', reindex);

module.exports = router;
